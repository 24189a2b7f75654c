using System.Net;
using System.Text.Json;

namespace FaultInjection.TestSupport.Http;

/// <summary>
/// An injection refused because the host's nvidia-smi has not yet answered the GPU's board serial, as both programs
/// answer it over HTTP (the agent's <c>POST /inject-xid</c>, the API's inject routes): a 503 problem of its own type and
/// title, <c>reason</c> <c>BOARD_SERIAL_PENDING</c>, the GPU, and a <c>Retry-After</c> header equal to its
/// <c>retry_after_seconds</c>.
/// </summary>
public static class BoardSerialPendingProblem
{
    public const string Type = "urn:faultinjection:problem:board-serial-pending";

    /// <summary>Checks <paramref name="response"/> as that refusal, its retry delay within the bounds; returns its body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string pciBusId, long minRetryAfterSeconds, long maxRetryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(response);
        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Type, problem.GetProperty("type").GetString());
        Assert.Equal("GPU board serial pending", problem.GetProperty("title").GetString());
        Assert.Equal("BOARD_SERIAL_PENDING", problem.GetProperty("reason").GetString());
        Assert.Equal(pciBusId, problem.GetProperty("pci_bus_id").GetString());
        var retryAfterSeconds = problem.GetProperty("retry_after_seconds").GetInt64();
        Assert.InRange(retryAfterSeconds, minRetryAfterSeconds, maxRetryAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), response.Headers.RetryAfter?.Delta);
        return problem;
    }
}
