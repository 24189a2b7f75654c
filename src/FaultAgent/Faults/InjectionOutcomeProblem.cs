using System.Globalization;
using FaultAgent.Grpc;
using FaultAgent.Registry;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultAgent.Faults;

/// <summary>
/// How an injection that neither fully landed nor wrote nothing is told (<see cref="InjectionOutcomeException"/>):
/// gRPC UNKNOWN (outcome unknown) or DATA_LOSS (partially written), with a google.rpc.ErrorInfo (domain
/// <c>faultinjection.agent.v1</c>, reason <see cref="OutcomeUnknownReason"/> or <see cref="PartiallyWrittenReason"/>,
/// metadata <c>fault_id</c>, <c>state</c>, <c>records_landed</c>, <c>records_planned</c>) and the recorded Fault packed
/// in the details; HTTP 500 problem details with their own <c>type</c>, the same reason and the fault.
/// </summary>
public static class InjectionOutcomeProblem
{
    public const string Domain = "faultinjection.agent.v1";
    public const string OutcomeUnknownReason = "INJECTION_OUTCOME_UNKNOWN";
    public const string PartiallyWrittenReason = "INJECTION_PARTIALLY_WRITTEN";
    public const string OutcomeUnknownType = "urn:faultinjection:problem:injection-outcome-unknown";
    public const string PartiallyWrittenType = "urn:faultinjection:problem:injection-partially-written";

    public static RpcException ToRpcException(InjectionOutcomeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var fault = exception.Fault;
        var status = new Google.Rpc.Status
        {
            Code = (int)(exception.OutcomeUnknown ? Code.Unknown : Code.DataLoss),
            Message = exception.Message,
        };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = exception.OutcomeUnknown ? OutcomeUnknownReason : PartiallyWrittenReason,
            Domain = Domain,
            Metadata =
            {
                ["fault_id"] = fault.FaultId,
                ["state"] = exception.OutcomeUnknown ? "outcome_unknown" : "partially_written",
                ["records_landed"] = fault.Records.Count.ToString(CultureInfo.InvariantCulture),
                ["records_planned"] = (fault.Records.Count + fault.UnconfirmedRecords.Count).ToString(CultureInfo.InvariantCulture),
            },
        }));
        status.Details.Add(Any.Pack(fault.ToProto()));
        return status.ToRpcException();
    }

    /// <summary>The HTTP problem's title, type and reason for <paramref name="exception"/>.</summary>
    public static (string Title, string Type, string Reason) Describe(InjectionOutcomeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.OutcomeUnknown
            ? ("Injection outcome unknown", OutcomeUnknownType, OutcomeUnknownReason)
            : ("Injection partially written", PartiallyWrittenType, PartiallyWrittenReason);
    }
}
