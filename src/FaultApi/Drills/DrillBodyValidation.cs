using System.Globalization;
using FaultApi.Faults;
using FaultApi.Validation;

namespace FaultApi.Drills;

/// <summary>Checks a drill request (every bad field named, nothing stored) and makes the new drill's record from it.</summary>
internal static class DrillBodyValidation
{
    /// <summary>The record of a new drill from <paramref name="body"/>, under <paramref name="drillId"/> or a new id; 400 naming every bad field.</summary>
    public static DrillRecord ToRecord(DrillBody body, string caller, DrillOptions options, DateTimeOffset now, string? drillId = null)
    {
        var errors = new RequestErrors();
        void Add(string field, string message) => errors.Add(field, message);

        ApiInputRules.NodeName(errors, "node_name", body.NodeName, required: true);
        ApiInputRules.Text(errors, "message", body.Message, ApiInputRules.MaxMessageLength);
        if ((body.Xid is null) == (body.Sxid is null))
        {
            Add("xid", "give exactly one of xid (with gpu_id) or sxid (with nvswitch and link)");
        }
        else if (body.Xid is not null)
        {
            ApiInputRules.Range(errors, "xid", body.Xid, 1, ApiInputRules.MaxXid, required: true);
            ApiInputRules.Range(errors, "gpu_id", body.GpuId, 0, ApiInputRules.MaxGpuId, required: false);
            if (body.NvSwitch is not null || body.Link is not null)
            {
                Add("nvswitch", "nvswitch and link go with sxid");
            }
        }
        else
        {
            ApiInputRules.Range(errors, "sxid", body.Sxid, 1, ApiInputRules.MaxSxid, required: true);
            ApiInputRules.Range(errors, "nvswitch", body.NvSwitch, 0, ApiInputRules.MaxNvSwitch, required: true);
            ApiInputRules.Range(errors, "link", body.Link, 0, ApiInputRules.MaxLink, required: true);
            if (body.GpuId is not null)
            {
                Add("gpu_id", "gpu_id goes with xid");
            }
        }

        var expectations = new List<DrillExpectation>();
        if (body.Expect is not { Count: > 0 })
        {
            Add("expect", "give at least one expectation: condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot, recover");
        }
        else
        {
            for (var i = 0; i < body.Expect.Count; i++)
            {
                if (!DrillExpectation.TryParse(body.Expect[i], out var expectation, out var error))
                {
                    Add($"expect[{i}]", error);
                }
                else if (expectations.Any(e => e.Text == expectation.Text) || (expectation.Kind == DrillExpectationKind.Drain && expectations.Any(e => e.Kind == DrillExpectationKind.Drain)))
                {
                    Add($"expect[{i}]", $"'{expectation.Text}' is given twice");
                }
                else
                {
                    expectations.Add(expectation);
                }
            }

            if (expectations.Count > 0 && expectations.All(e => e.Kind == DrillExpectationKind.Recover))
            {
                Add("expect", "recover needs something to recover from: add condition:<Type>, cordon, taint:<key>, drain or reboot");
            }
        }

        SurfacesValidator.Check(errors, body.Surfaces, gpuFault: body.Sxid is null);

        var max = options.MaxTimeout.TotalSeconds;
        var timeout = body.TimeoutSeconds ?? options.DefaultTimeout.TotalSeconds;
        if (!double.IsFinite(timeout) || timeout <= 0 || timeout > max)
        {
            Add("timeout_seconds", $"must be more than 0 and at most {max.ToString(CultureInfo.InvariantCulture)} (Drills:MaxTimeout)");
        }

        errors.ThrowIfAny();

        var id = drillId ?? Guid.NewGuid().ToString("N")[..16];
        return new DrillRecord
        {
            DrillId = id,
            NodeName = body.NodeName!,
            Kind = body.Xid is not null ? "xid" : "sxid",
            Code = body.Xid ?? body.Sxid!.Value,
            GpuId = body.Xid is not null ? body.GpuId ?? 0 : null,
            Nvswitch = body.Sxid is not null ? body.NvSwitch : null,
            Link = body.Sxid is not null ? body.Link : null,
            Message = string.IsNullOrEmpty(body.Message) ? null : body.Message,
            Expect = [.. expectations.Select(e => e.Text)],
            Surfaces = body.Surfaces is { Count: > 0 } surfaces ? [.. surfaces] : ["kmsg"],
            Missing = [.. expectations.Select(e => e.Text)],
            TimeoutSeconds = timeout,
            Caller = caller,
            CreatedAt = now,
            FaultId = $"drill-{id}",
        };
    }
}
