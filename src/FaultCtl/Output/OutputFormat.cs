namespace FaultCtl.Output;

/// <summary><c>--output</c>: a table for people, or the API's JSON (snake_case) for scripts.</summary>
public enum OutputFormat
{
    /// <summary>Aligned columns (the default).</summary>
    Table,

    /// <summary>The API's answer as JSON (a followed drill: one JSON object a line).</summary>
    Json,
}
