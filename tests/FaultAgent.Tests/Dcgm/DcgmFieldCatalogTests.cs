using System.Globalization;
using FaultAgent.Dcgm;

namespace FaultAgent.Tests.Dcgm;

public sealed class DcgmFieldCatalogTests
{
    private static readonly DcgmFieldCatalog Catalog = DcgmFieldCatalog.Default;

    [Theory]
    [InlineData("230")]
    [InlineData("DCGM_FI_DEV_XID_ERRORS")]
    [InlineData("DCGM_FI_DEV_XID_ERROR")]
    [InlineData("dcgm_fi_dev_xid_errors")]
    [InlineData("xid_errors")]
    public void Find_IdOrEitherNameOrLongName_XidErrors(string field)
    {
        var entry = Catalog.Find(field);

        Assert.NotNull(entry);
        Assert.Equal(DcgmFieldCatalog.XidErrorsFieldId, entry.FieldId);
        Assert.Equal("XIDER", entry.ShortName);
        Assert.Equal("event", entry.UpdatedBy);
    }

    [Theory]
    [InlineData("150")] // DCGM_FI_DEV_GPU_TEMP: a real field, but no fault a monitor alerts on
    [InlineData("DCGM_FI_DEV_GPU_TEMP")]
    [InlineData("-230")]
    [InlineData("230 ")]
    [InlineData("")]
    [InlineData(null)]
    public void Find_NotACatalogField_Null(string? field)
    {
        Assert.Null(Catalog.Find(field));
    }

    [Fact]
    public void Fields_TheIssuesFaultsEachPresent()
    {
        // ECC DBE volatile, retired/remapped rows pending, NVLink CRC/replay/recovery, PCIe replay, thermal and power violation.
        string[] expected =
        [
            "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_RETIRED_PENDING", "DCGM_FI_DEV_ROW_REMAP_PENDING",
            "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL",
            "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL",
            "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "DCGM_FI_DEV_THERMAL_VIOLATION", "DCGM_FI_DEV_POWER_VIOLATION",
            "DCGM_FI_DEV_XID_ERRORS",
        ];

        Assert.All(expected, name => Assert.NotNull(Catalog.Find(name)));
    }

    [Fact]
    public void Fields_InARealDmonList_SameIdLongNameAndShortName()
    {
        // Rows of `dcgmi dmon -l` (DCGM 3.1.8): long name, short name, field id.
        var rows = DcgmSamples.Output(DcgmSamples.DmonListDcgm318Excerpt).Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length == 3 && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToList();

        Assert.Equal([202, 230, 240, 241, 311], rows.Select(r => int.Parse(r[2], CultureInfo.InvariantCulture)));
        Assert.All(rows, row =>
        {
            var entry = Catalog.Find(row[2]);
            Assert.NotNull(entry);
            Assert.Equal(row[0], entry.LongName);
            Assert.Equal(row[1], entry.ShortName);
        });
    }

    [Fact]
    public void Fields_EveryRow_ValuesInRangeAndNamesUnique()
    {
        Assert.All(Catalog.Fields, f =>
        {
            Assert.Equal("int64", f.Type);
            Assert.InRange(f.HealthyValue, f.MinValue, f.MaxValue);
            Assert.InRange(f.AlertValue, f.MinValue, f.MaxValue);
            Assert.NotEqual(f.HealthyValue, f.AlertValue);
            Assert.True(f.MaxValue < 0x7ffffffffffffff0, "DCGM prints values from 0x7ffffffffffffff0 up as N/A (blank)");
            Assert.StartsWith("DCGM_FI_DEV_", f.Name, StringComparison.Ordinal);
            Assert.True(f.UpdatedBy is "event" or "polled", f.UpdatedBy);
            Assert.NotEmpty(f.Monitors);
        });
        var names = Catalog.Fields.SelectMany(f => new[] { f.Name, f.NewName, f.LongName }).Where(n => n.Length > 0).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
