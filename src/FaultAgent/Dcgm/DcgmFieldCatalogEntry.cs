namespace FaultAgent.Dcgm;

/// <summary>One DCGM field the agent can inject (a row of <c>Dcgm/DcgmFieldCatalog.tsv</c>).</summary>
/// <param name="Name">The dcgm_fields.h name dcgm-exporter and most tools use (<c>DCGM_FI_DEV_XID_ERRORS</c>).</param>
/// <param name="NewName">The name DCGM 4.6 gave the field (<c>DCGM_FI_DEV_XID_ERROR</c>); empty when unchanged.</param>
/// <param name="LongName">dcgmi's long name (<c>xid_errors</c>).</param>
/// <param name="ShortName">dcgmi dmon's column header (<c>XIDER</c>).</param>
/// <param name="Type">DCGM's field type: <c>int64</c> (the only type the catalog holds now).</param>
/// <param name="HealthyValue">The value of a healthy GPU, written back when DCGM held no value before the fault.</param>
/// <param name="AlertValue">A value DCGM's health watches or an alert rule react to.</param>
/// <param name="UpdatedBy"><c>event</c> (kept until overwritten) or <c>polled</c> (refreshed from the driver on a watch).</param>
/// <param name="Monitors">What DCGM's health watches, NVSentinel's GPU health monitor and dcgm-exporter do with it.</param>
public sealed record DcgmFieldCatalogEntry(
    int FieldId,
    string Name,
    string NewName,
    string LongName,
    string ShortName,
    string Type,
    string Unit,
    long HealthyValue,
    long AlertValue,
    long MinValue,
    long MaxValue,
    string UpdatedBy,
    string Monitors);
