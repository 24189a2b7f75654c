namespace FaultCtl.Hosting;

/// <summary>faultctl's exit codes (the README's table).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (a drill followed to <c>passed</c>, a report that succeeded).</summary>
    public const int Success = 0;

    /// <summary>The API did its part but the outcome is a failure: a drill <c>failed</c> or was <c>cancelled</c>, a bug report failed or timed out.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong (unknown option, missing value, contradicting options) or <c>FAULT_INJECTION_API</c> is not an address.</summary>
    public const int Usage = 2;

    /// <summary>The API refused or failed the request: its problem details are printed as one line.</summary>
    public const int ApiError = 3;

    /// <summary>The API could not be reached (connection refused, DNS, TLS, timeout) or answered something that is not the API.</summary>
    public const int Unreachable = 4;

    /// <summary>Interrupted (Ctrl-C, SIGTERM); a followed drill is cancelled on the server first.</summary>
    public const int Interrupted = 130;
}
