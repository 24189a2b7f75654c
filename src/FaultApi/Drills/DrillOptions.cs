namespace FaultApi.Drills;

/// <summary>The <c>Drills</c> settings.</summary>
public sealed class DrillOptions
{
    public const string SectionName = "Drills";

    /// <summary>Timeout of a drill whose request gives no <c>timeout_seconds</c>.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest <c>timeout_seconds</c> a request may ask for.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How long a replica's claim on a running drill lasts without renewal; another replica then takes it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the node and pod watches may take to sync before the injection (else the drill is refused, 503).</summary>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
