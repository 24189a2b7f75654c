using FaultAgent.Faults;
using FaultAgent.Paging;
using FaultAgent.EmergencyStop;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>The emergency-stop and audit RPCs (added to the contract after its first version).</summary>
public sealed partial class FaultAgentService
{
    private const int MaxStopReasonLength = 1024;
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    public async Task<Proto.EmergencyStopState> SetEmergencyStop(Proto.SetEmergencyStopRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<FaultFieldViolation>();
        if (request.State is null)
        {
            violations.Add(new("state", "is required"));
            FaultRequestValidator.ThrowIfAny(violations);
        }

        var state = request.State!;
        if (state.Version < 0 || (state.Version == 0 && state.Engaged))
        {
            // 0 only released: the state of a cluster whose stop was never engaged, which confirms a node that never heard of one.
            violations.Add(new("state.version", "must be positive (0 only for the released state of a cluster whose stop was never engaged)"));
        }
        else if (state.Version > emergencyStop.MaxAcceptableVersion)
        {
            // A version nobody could exceed would pin the node to this state for good: at most one day ahead.
            violations.Add(new("state.version", $"must be at most one day ahead of this agent's clock (Unix milliseconds; now at most {emergencyStop.MaxAcceptableVersion})"));
        }

        if (state.ChangedAt is null)
        {
            violations.Add(new("state.changed_at", "is required"));
        }
        else
        {
            CheckTimestamp("state.changed_at", state.ChangedAt, violations);
        }

        FaultRequestValidator.CheckText("state.reason", state.Reason, MaxStopReasonLength, violations);
        FaultRequestValidator.CheckText("state.changed_by", state.ChangedBy, MaxStopReasonLength, violations);
        FaultRequestValidator.ThrowIfAny(violations);

        // Who: the person the trusted caller names, as injections record it.
        var changedBy = string.IsNullOrEmpty(state.ChangedBy) ? Caller(context) : state.ChangedBy;
        var applied = await emergencyStop.SetAsync(
            new EmergencyStopState(state.Engaged, changedBy, state.ChangedAt!.ToDateTimeOffset(), state.Reason, state.Version),
            context.CancellationToken).ConfigureAwait(false);
        return ToProto(applied);
    }

    /// <summary>
    /// A timestamp a clock can hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, nanos 0 to 999,999,999 (the
    /// protobuf rule). Outside, ToDateTimeOffset throws and the caller got UNKNOWN.
    /// </summary>
    private static void CheckTimestamp(string field, Timestamp timestamp, List<FaultFieldViolation> violations)
    {
        if (timestamp.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(new(field, "must be a valid timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, nanos 0 to 999999999"));
        }
    }

    public Task<Proto.EmergencyStopState> GetEmergencyStop(Proto.GetEmergencyStopRequest request, ServerCallContext context) =>
        Task.FromResult(ToProto(emergencyStop.Current));

    public async Task<Proto.ListAuditEventsResponse> ListAuditEvents(Proto.ListAuditEventsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<FaultFieldViolation>();
        var pageRequest = PageRequest.FromPageSize(request.PageSize, request.PageToken, violations);
        if (request.Since is not null)
        {
            CheckTimestamp("since", request.Since, violations);
        }

        FaultRequestValidator.ThrowIfAny(violations);
        var page = await auditTrail.PageAsync(request.Since?.ToDateTimeOffset(), pageRequest, context.CancellationToken).ConfigureAwait(false);
        var response = new Proto.ListAuditEventsResponse { NodeName = _nodeName, NextPageToken = page.NextPageToken ?? "", TotalSize = page.TotalSize };
        response.Events.AddRange(page.Items.Select(e => new Proto.AuditEvent
        {
            At = Timestamp.FromDateTimeOffset(e.At),
            NodeName = _nodeName,
            Action = e.Action,
            Caller = e.Caller,
            FaultId = e.FaultId,
            Target = e.Target,
            Result = e.Result,
            Detail = e.Detail,
        }));
        return response;
    }

    private Proto.EmergencyStopState ToProto(EmergencyStopState state) => new()
    {
        Engaged = state.Engaged,
        ChangedBy = state.ChangedBy,
        ChangedAt = Timestamp.FromDateTimeOffset(state.ChangedAt),
        Reason = state.Reason,
        Version = state.Version,
        NodeName = _nodeName,
        ExpiringFaults = emergencyStop.ExpiringFaults,
        ExpiryError = emergencyStop.ExpiryError ?? "",
        Confirmed = emergencyStop.Confirmed,
    };
}
