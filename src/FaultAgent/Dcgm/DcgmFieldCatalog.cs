using System.Collections.Frozen;
using System.Globalization;

namespace FaultAgent.Dcgm;

/// <summary>
/// The DCGM fields the agent injects, with the values monitors alert on: embedded from <c>Dcgm/DcgmFieldCatalog.tsv</c>
/// (ids and names from NVIDIA/DCGM's dcgm_fields.h, sources in the file's header) and loaded once. A field is found by
/// its id, either of its dcgm_fields.h names, or dcgmi's long name.
/// </summary>
public sealed class DcgmFieldCatalog
{
    /// <summary>DCGM_FI_DEV_XID_ERRORS: the last Xid of a GPU, what an Xid with the <c>dcgm</c> surface sets.</summary>
    public const int XidErrorsFieldId = 230;

    private const int Columns = 13;
    private static readonly Lazy<DcgmFieldCatalog> DefaultInstance = new(Load);

    private readonly FrozenDictionary<int, DcgmFieldCatalogEntry> _byId;
    private readonly FrozenDictionary<string, DcgmFieldCatalogEntry> _byName;

    public DcgmFieldCatalog(IEnumerable<DcgmFieldCatalogEntry> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = [.. fields.OrderBy(f => f.FieldId)];
        _byId = Fields.ToFrozenDictionary(f => f.FieldId);
        _byName = Fields
            .SelectMany(f => new[] { f.Name, f.NewName, f.LongName }.Where(n => n.Length > 0).Select(n => (Name: n, Field: f)))
            .ToFrozenDictionary(p => p.Name, p => p.Field, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog embedded in the agent.</summary>
    public static DcgmFieldCatalog Default => DefaultInstance.Value;

    /// <summary>Every field, ordered by id.</summary>
    public IReadOnlyList<DcgmFieldCatalogEntry> Fields { get; }

    public DcgmFieldCatalogEntry? FindById(int fieldId) => _byId.GetValueOrDefault(fieldId);

    /// <summary>The field named by <paramref name="field"/>: its id in decimal, a dcgm_fields.h name, or dcgmi's long name.</summary>
    public DcgmFieldCatalogEntry? Find(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        return int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? FindById(id)
            : _byName.GetValueOrDefault(field);
    }

    private static DcgmFieldCatalog Load()
    {
        const string resourceName = "FaultAgent.Dcgm.DcgmFieldCatalog.tsv";
        using var stream = typeof(DcgmFieldCatalog).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The embedded catalog resource '{resourceName}' is missing from the agent assembly.");
        using var reader = new StreamReader(stream);
        var fields = new List<DcgmFieldCatalogEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var c = line.Split('\t');
            if (c.Length != Columns)
            {
                throw new InvalidOperationException($"Catalog resource '{resourceName}' row '{line}' has {c.Length} columns, expected {Columns}.");
            }

            fields.Add(new DcgmFieldCatalogEntry(
                FieldId: int.Parse(c[0], CultureInfo.InvariantCulture),
                Name: c[1],
                NewName: c[2],
                LongName: c[3],
                ShortName: c[4],
                Type: c[5],
                Unit: c[6],
                HealthyValue: long.Parse(c[7], CultureInfo.InvariantCulture),
                AlertValue: long.Parse(c[8], CultureInfo.InvariantCulture),
                MinValue: long.Parse(c[9], CultureInfo.InvariantCulture),
                MaxValue: long.Parse(c[10], CultureInfo.InvariantCulture),
                UpdatedBy: c[11],
                Monitors: c[12]));
        }

        return new DcgmFieldCatalog(fields);
    }
}
