using FaultAgent.Dcgm;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Registry;
using FaultAgent.Xids;
using Google.Protobuf.WellKnownTypes;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>Domain types to the contract's messages.</summary>
public static class FaultMessageMapper
{
    /// <param name="fault">The fault.</param>
    /// <param name="requestIdempotencyKey">
    /// The idempotency key of the request being answered: the answer carries that string when it is the fault's key, so an
    /// injection's answer does not render again the key the registry holds as its bytes (#14, <see cref="HeldIdempotencyKey"/>).
    /// </param>
    public static Proto.Fault ToProto(this FaultRecord fault, string? requestIdempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var message = new Proto.Fault
        {
            FaultId = fault.FaultId,
            NodeName = fault.NodeName,
            Kind = fault.Kind switch
            {
                FaultKind.Xid => Proto.FaultKind.Xid,
                FaultKind.Sxid => Proto.FaultKind.Sxid,
                FaultKind.DcgmField => Proto.FaultKind.DcgmField,
                _ => Proto.FaultKind.Unspecified,
            },
            Code = fault.Code,
            FaultType = fault.FaultType,
            GpuId = fault.GpuId,
            PciBusId = fault.PciBusId,
            GpuUuid = fault.GpuUuid,
            Message = fault.Message,
            Line = fault.Line,
            State = fault.State switch
            {
                FaultState.Active => Proto.FaultState.Active,
                FaultState.Cleared => Proto.FaultState.Cleared,
                FaultState.Expired => Proto.FaultState.Expired,
                FaultState.ResolvedByReboot => Proto.FaultState.ResolvedByReboot,
                FaultState.OutcomeUnknown => Proto.FaultState.OutcomeUnknown,
                FaultState.PartiallyWritten => Proto.FaultState.PartiallyWritten,
                _ => Proto.FaultState.Unspecified,
            },
            WriteOutcome = fault.WriteOutcome switch
            {
                FaultWriteOutcome.Verified => Proto.InjectionWriteOutcome.Verified,
                FaultWriteOutcome.Unknown => Proto.InjectionWriteOutcome.Unknown,
                FaultWriteOutcome.PartiallyWritten => Proto.InjectionWriteOutcome.PartiallyWritten,
                _ => Proto.InjectionWriteOutcome.Unspecified,
            },
            WriteError = fault.WriteError ?? "",
            InjectedAt = Timestamp.FromDateTimeOffset(fault.InjectedAt),
            EndedReason = fault.EndedReason ?? "",
            EndedBy = fault.EndedBy ?? "",
            Caller = fault.Caller,
            IdempotencyKey = !string.IsNullOrEmpty(requestIdempotencyKey) && fault.HeldIdempotencyKey.Equals(HeldIdempotencyKey.Of(requestIdempotencyKey))
                ? requestIdempotencyKey
                : fault.IdempotencyKey ?? "",
            BootId = fault.BootId,
            Severity = fault.Severity,
            RecommendedAction = fault.RecommendedAction,
            Nvswitch = fault.NvSwitch,
            Link = fault.Link,
        };
        if (fault.ExpiresAt is { } expiresAt)
        {
            message.ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt);
        }

        if (fault.EndedAt is { } endedAt)
        {
            message.EndedAt = Timestamp.FromDateTimeOffset(endedAt);
        }

        message.Records.AddRange(fault.Records.Select(ToProto));
        message.UnconfirmedRecords.AddRange(fault.UnconfirmedRecords.Select(ToProto));
        message.Surfaces.AddRange(fault.Surfaces.Count > 0 || fault.Kind == FaultKind.DcgmField ? fault.Surfaces : InjectionSurfaces.Default);
        message.DcgmWrites.AddRange(fault.DcgmWrites.Select(DcgmMessageMapper.ToProto));
        if (fault.Driver is { } driver)
        {
            message.DriverVersion = driver.DriverVersion;
            message.DriverVersionSource = driver.VersionSource;
            message.LineForm = driver.LineForm;
            if (driver.GpuInstance is { } gi)
            {
                message.GpuInstance = gi;
            }

            if (driver.ComputeInstance is { } ci)
            {
                message.ComputeInstance = ci;
            }

            message.Notes.AddRange(driver.Notes);
        }

        return message;
    }

    public static Proto.KernelLogRecord ToProto(this FaultKernelRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = new Proto.KernelLogRecord
        {
            Text = record.Text,
            Level = record.Level,
            Facility = record.Facility,
            Sequence = record.Sequence,
            TimestampUs = record.TimestampMicroseconds,
        };
        if (record.ObservedAt is { } observedAt)
        {
            message.ObservedAt = Timestamp.FromDateTimeOffset(observedAt);
        }

        return message;
    }

    /// <summary>The GPU as <c>ListGpus</c> answers it; <paramref name="summary"/>: without the driver's detail (<c>ListGpusRequest.summary</c>).</summary>
    public static Proto.Gpu ToProto(this GpuInfo gpu, bool summary = false)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var message = new Proto.Gpu
        {
            GpuId = gpu.GpuId,
            PciBusId = gpu.PciBusId,
            XidPci = gpu.XidPci,
            Uuid = gpu.Uuid ?? "",
            Model = gpu.Model ?? "",
            Excluded = string.Equals(gpu.Field("GPU Excluded"), "Yes", StringComparison.OrdinalIgnoreCase),
        };
        if (!summary)
        {
            message.Irq = gpu.Field("IRQ") ?? "";
            message.VideoBios = gpu.Field("Video BIOS") ?? "";
            message.BusType = gpu.Field("Bus Type") ?? "";
            message.DmaSize = gpu.Field("DMA Size") ?? "";
            message.DmaMask = gpu.Field("DMA Mask") ?? "";
            message.BusLocation = gpu.Field("Bus Location") ?? "";
            message.GpuFirmware = gpu.Field("GPU Firmware") ?? "";
            message.SourcePath = gpu.SourcePath;
            foreach (var (key, value) in gpu.Fields)
            {
                message.Fields[key] = value;
            }
        }

        foreach (var instance in gpu.MigInstances)
        {
            var mig = new Proto.MigGpuInstance { GpuInstance = instance.GpuInstance };
            mig.ComputeInstances.AddRange(instance.ComputeInstances);
            message.MigInstances.Add(mig);
        }

        return message;
    }

    public static Proto.XidCatalogEntry ToProto(this XidCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new Proto.XidCatalogEntry
        {
            Xid = entry.Xid,
            Name = entry.Name,
            Description = entry.Description,
            DefaultMessage = entry.DefaultMessage,
            Severity = entry.Severity.ToString().ToLowerInvariant(),
            RecommendedAction = entry.RecommendedAction,
            Level = entry.Level,
            Mnemonic = entry.Mnemonic,
            NameSource = entry.NameSource,
        };
    }

    public static Proto.SxidCatalogEntry ToProto(this SxidCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new Proto.SxidCatalogEntry
        {
            Sxid = entry.Sxid,
            Name = entry.Name,
            Fatal = entry.Fatal,
            DefaultMessage = entry.DefaultMessage,
            RecommendedAction = entry.RecommendedAction,
            ErrorClass = entry.ErrorClass,
        };
    }
}
