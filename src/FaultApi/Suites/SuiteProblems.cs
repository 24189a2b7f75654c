using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Suites;

/// <summary>The suites' problems shared by the service and the cancellation: a malformed suite id (400), an unknown suite (404).</summary>
public static class SuiteProblems
{
    public static string CheckId(string suiteId) =>
        suiteId.Length == 16 && suiteId.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c))
            ? suiteId
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid suite id", "suite_id: must be 16 lower-case hex digits. Nothing was done.", new Dictionary<string, string[]> { ["suite_id"] = ["must be 16 lower-case hex digits"] });

    public static ApiProblemException NotFound(string suiteId) =>
        new(StatusCodes.Status404NotFound, "Unknown suite", $"There is no suite '{suiteId}'.", extensions: new Dictionary<string, object?> { ["suite_id"] = suiteId });
}
