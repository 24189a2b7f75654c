using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Drills;

/// <summary>The problems the drill routes answer with, and the drill id check.</summary>
internal static class DrillProblems
{
    public static string CheckId(string drillId) =>
        drillId.Length == 16 && drillId.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c))
            ? drillId
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid drill id", "drill_id: must be 16 lower-case hex digits. Nothing was done.", new Dictionary<string, string[]> { ["drill_id"] = ["must be 16 lower-case hex digits"] });

    public static ApiProblemException NotFound(string drillId) =>
        new(StatusCodes.Status404NotFound, "Unknown drill", $"There is no drill '{drillId}'.", extensions: new Dictionary<string, object?> { ["drill_id"] = drillId });

    public static ApiProblemException Running(string node, string drillId) =>
        new(StatusCodes.Status409Conflict, "Drill already running", $"Node '{node}' already has a running drill ({drillId}); cancel it or wait for its verdict.", extensions: new Dictionary<string, object?> { ["node_name"] = node, ["drill_id"] = drillId });

    public static ApiProblemException NeedsKubernetes() =>
        new(
            StatusCodes.Status501NotImplemented,
            "Drills need Kubernetes",
            "Drills watch the node and its pods and are stored as ConfigMaps through the Kubernetes API; this API runs with Routing:Mode=Static.");
}
