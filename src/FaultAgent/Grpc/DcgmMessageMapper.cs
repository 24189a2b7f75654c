using FaultAgent.Dcgm;
using Google.Protobuf.WellKnownTypes;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>The DCGM surface's domain types to the contract's messages.</summary>
public static class DcgmMessageMapper
{
    public static Proto.DcgmFieldWrite ToProto(this DcgmFieldWriteRecord write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var message = new Proto.DcgmFieldWrite
        {
            FieldId = write.FieldId,
            FieldName = write.FieldName,
            DcgmGpuId = write.DcgmGpuId,
            HostEngine = write.HostEngine,
            Value = Text(write.Value),
            ValueBefore = write.ValueBefore,
            ReadBack = write.ReadBack,
            RestoreValue = Text(write.RestoreValue),
            RestoreState = write.RestoreState switch
            {
                DcgmRestoreState.Restored => Proto.DcgmRestoreState.Restored,
                DcgmRestoreState.Held => Proto.DcgmRestoreState.Held,
                DcgmRestoreState.Failed => Proto.DcgmRestoreState.Failed,
                DcgmRestoreState.NotNeeded => Proto.DcgmRestoreState.NotNeeded,
                _ => Proto.DcgmRestoreState.Unspecified,
            },
            RestoredReadBack = write.RestoredReadBack,
            RestoreDetail = write.RestoreDetail,
        };
        if (write.VerifiedAt is { } verifiedAt)
        {
            message.VerifiedAt = Timestamp.FromDateTimeOffset(verifiedAt);
        }

        if (write.RestoredAt is { } restoredAt)
        {
            message.RestoredAt = Timestamp.FromDateTimeOffset(restoredAt);
        }

        return message;
    }

    public static Proto.DcgmFieldCatalogEntry ToProto(this DcgmFieldCatalogEntry field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new Proto.DcgmFieldCatalogEntry
        {
            FieldId = field.FieldId,
            Name = field.Name,
            NewName = field.NewName,
            LongName = field.LongName,
            ShortName = field.ShortName,
            Type = field.Type,
            Unit = field.Unit,
            HealthyValue = Text(field.HealthyValue),
            AlertValue = Text(field.AlertValue),
            MinValue = field.MinValue,
            MaxValue = field.MaxValue,
            Monitors = field.Monitors,
            UpdatedBy = field.UpdatedBy,
        };
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
