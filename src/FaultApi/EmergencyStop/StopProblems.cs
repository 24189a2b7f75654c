using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.EmergencyStop;

/// <summary>The problems the emergency stop answers with: engaged (423), its state unavailable or invalid (503), changed under a request (409).</summary>
internal static class StopProblems
{
    /// <summary>423: the stop is engaged; nothing was written.</summary>
    public static ApiProblemException Engaged(StopState state) => new(
        423,
        "Emergency stop engaged",
        $"Emergency stop engaged by {state.ChangedBy} at {state.ChangedAt:O}" + (string.IsNullOrEmpty(state.Reason) ? "" : $": {state.Reason}") + ". Every injection is refused until it is released (DELETE /api/v1/stop); nothing was written.",
        extensions: new Dictionary<string, object?>
        {
            ["stopped_by"] = state.ChangedBy,
            ["stopped_at"] = state.ChangedAt,
            ["reason"] = state.Reason,
        });

    /// <summary>503: an agent refused an injection as unconfirmed and the push of the cluster's state to it failed; nothing was written (<see cref="ApiProblemException.NothingWrittenOn"/>).</summary>
    public static ApiProblemException ConfirmFailed(string nodeName, StopState released, string error) => new(
        StatusCodes.Status503ServiceUnavailable,
        "Agent stop state unconfirmed",
        $"The agent on node '{nodeName}' refuses injections until its emergency stop state is confirmed (it started since an API last reached it), "
        + $"and pushing the cluster's state ({released.Describe()}) to it failed: {error}. Nothing was written; retry later.",
        extensions: new Dictionary<string, object?> { ["node_name"] = nodeName, ["reason"] = AgentProblems.StopUnconfirmedReason })
    {
        // The agent refused the injection before writing, and it was not sent again.
        NothingWrittenOn = [nodeName],
    };

    /// <summary>503: an agent still refused as unconfirmed after the push of the cluster's state; nothing was written (<see cref="ApiProblemException.NothingWrittenOn"/>).</summary>
    public static ApiProblemException StillUnconfirmed(string nodeName, StopState released, StopState? held) => new(
        StatusCodes.Status503ServiceUnavailable,
        "Agent stop state unconfirmed",
        $"The agent on node '{nodeName}' still refuses injections as unconfirmed after the API pushed the cluster's state ({released.Describe()}) to it: "
        + $"it holds {(held is null ? "a state it did not report" : held.Describe())}, which wins over the cluster's, so the push did not confirm it. "
        + "The reconciler writes the cluster's state above it within Stop:ReconcileIntervalSeconds. Nothing was written; retry then.",
        extensions: new Dictionary<string, object?> { ["node_name"] = nodeName, ["reason"] = AgentProblems.StopUnconfirmedReason })
    {
        // The agent answered both sends with its refusal, which comes before anything is written (and after its replay of
        // a fault already recorded under this id and key): nothing on the node.
        NothingWrittenOn = [nodeName],
    };

    /// <summary>503: the store cannot be read or written.</summary>
    public static ApiProblemException Unavailable(StopStateStoreException e) =>
        new(503, "Emergency stop state unavailable", $"{e.Message}. Injections are refused until the stop state can be confirmed.", innerException: e);

    /// <summary>503: the store holds a state that is not valid.</summary>
    public static ApiProblemException InvalidState(string why) =>
        new(503, "Emergency stop state invalid", $"The stored emergency stop is not valid: {why}. Injections are refused until the stop is engaged or released again (POST or DELETE /api/v1/stop), which replaces it.");

    /// <summary>503: the next version would be more than a day ahead of the clock.</summary>
    public static ApiProblemException VersionOutOfBounds(long previous) =>
        new(StatusCodes.Status503ServiceUnavailable, "Emergency stop version out of bounds", $"The next stop version after {previous} would be more than a day ahead of this replica's clock; check the clocks of the API and the agents.");

    /// <summary>409: the change was written and pushed, but the store holds another state (or none valid) by now.</summary>
    public static ApiProblemException ChangedMeanwhile(StopState asked, StopState? stored, string? invalid) => new(
        StatusCodes.Status409Conflict,
        "Emergency stop changed meanwhile",
        $"This request {(asked.Engaged ? "engaged" : "released")} the stop (version {asked.Version}) and told the agents, but the cluster now holds "
        + (stored is null ? $"no valid state ({invalid ?? "none is stored"})" : $"another state: {stored.Describe()}")
        + ". Read GET /api/v1/stop and repeat the request if it still applies.",
        extensions: new Dictionary<string, object?>
        {
            ["stored_state"] = stored is null ? null : StoredStateExtension(stored),
            ["asked_version"] = asked.Version,
        });

    /// <summary>409: every one of <paramref name="attempts"/> compare-and-swap writes lost to another writer; nothing was changed.</summary>
    public static ApiProblemException TooManyConflicts(StoredStopState? stored, int attempts) => new(
        StatusCodes.Status409Conflict,
        "Emergency stop busy",
        $"The stop state kept changing under this request ({attempts} writes lost to other writers); nothing was changed by it. "
        + $"The cluster holds {(stored?.State is { } state ? state.Describe() : "no valid state")}. Read GET /api/v1/stop and repeat the request if it still applies.",
        extensions: new Dictionary<string, object?> { ["stored_state"] = stored?.State is { } s ? StoredStateExtension(s) : null });

    private static Dictionary<string, object?> StoredStateExtension(StopState state) => new()
    {
        ["engaged"] = state.Engaged,
        ["changed_by"] = state.ChangedBy,
        ["changed_at"] = state.ChangedAt,
        ["reason"] = state.Reason,
        ["version"] = state.Version,
    };
}
