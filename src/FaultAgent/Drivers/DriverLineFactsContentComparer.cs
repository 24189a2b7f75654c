namespace FaultAgent.Drivers;

/// <summary>Driver facts compared by content: <see cref="DriverLineFacts.Notes"/> is a list, which the record compares by reference.</summary>
internal sealed class DriverLineFactsContentComparer : IEqualityComparer<DriverLineFacts>
{
    public static readonly DriverLineFactsContentComparer Instance = new();

    public bool Equals(DriverLineFacts? x, DriverLineFacts? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && string.Equals(x.DriverVersion, y.DriverVersion, StringComparison.Ordinal)
            && string.Equals(x.VersionSource, y.VersionSource, StringComparison.Ordinal)
            && string.Equals(x.LineForm, y.LineForm, StringComparison.Ordinal)
            && x.GpuInstance == y.GpuInstance
            && x.ComputeInstance == y.ComputeInstance
            && x.Notes.SequenceEqual(y.Notes, StringComparer.Ordinal));

    public int GetHashCode(DriverLineFacts obj)
    {
        var hash = new HashCode();
        hash.Add(obj.DriverVersion, StringComparer.Ordinal);
        hash.Add(obj.VersionSource, StringComparer.Ordinal);
        hash.Add(obj.LineForm, StringComparer.Ordinal);
        hash.Add(obj.GpuInstance);
        hash.Add(obj.ComputeInstance);
        foreach (var note in obj.Notes)
        {
            hash.Add(note, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
