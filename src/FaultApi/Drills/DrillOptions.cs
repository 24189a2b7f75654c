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

    /// <summary>How long a finished drill's record is kept after it ended; older records are deleted.</summary>
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Finished drill records kept at most; beyond, the longest-ended are deleted first. Running drills are never deleted.</summary>
    public int MaxRecords { get; set; } = 1000;

    /// <summary>Event streams (<c>GET /api/v1/drills/{id}/events</c>) one replica serves for one drill at once; beyond, 429.</summary>
    public int MaxEventSubscribersPerDrill { get; set; } = 16;

    /// <summary>Event streams one replica serves for all drills at once; beyond, 429.</summary>
    public int MaxEventSubscribers { get; set; } = 256;
}
