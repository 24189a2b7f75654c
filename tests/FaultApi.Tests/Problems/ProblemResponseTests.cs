using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FaultInjection.TestSupport.Http;
using Xunit.Sdk;

namespace FaultApi.Tests.Problems;

/// <summary>The shared problem check fails on each way an error answer can miss RFC 7807, so the tests using it can fail.</summary>
public sealed class ProblemResponseTests
{
    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType = ProblemResponse.MediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType)) };

    [Fact]
    public async Task ReadAsync_AProblemWithItsStatusAndTitle_ReturnsTheBody()
    {
        using var response = Answer(HttpStatusCode.NotFound, """{"status": 404, "title": "Unknown node", "node_name": "n"}""");

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.NotFound);

        Assert.Equal("n", problem.GetProperty("node_name").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"status": 404, "title": "t"}""", ProblemResponse.MediaType, "got 200 OK")]
    [InlineData(HttpStatusCode.NotFound, """{"status": 404, "title": "t"}""", "application/json", "expected application/problem+json")]
    [InlineData(HttpStatusCode.NotFound, """{"status": 400, "title": "t"}""", ProblemResponse.MediaType, "status is not 404")]
    [InlineData(HttpStatusCode.NotFound, """{"title": "t"}""", ProblemResponse.MediaType, "status is not 404")]
    [InlineData(HttpStatusCode.NotFound, """{"status": 404, "title": " "}""", ProblemResponse.MediaType, "has no title")]
    [InlineData(HttpStatusCode.NotFound, """{"status": 404}""", ProblemResponse.MediaType, "has no title")]
    public async Task ReadAsync_AnswerMissingTheShape_FailsNamingWhatAndTheBody(HttpStatusCode status, string body, string mediaType, string named)
    {
        using var response = Answer(status, body, mediaType);

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => ProblemResponse.ReadAsync(response, HttpStatusCode.NotFound));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        Assert.Contains(body, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_OneOfSeveralStatuses_AcceptsEachAndNamesAllWhenNone()
    {
        using var locked = Answer(HttpStatusCode.Locked, """{"status": 423, "title": "Emergency stop engaged"}""");
        using var ok = Answer(HttpStatusCode.OK, """{"status": 200, "title": "t"}""");

        _ = await ProblemResponse.ReadAsync(locked, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.Locked]);
        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => ProblemResponse.ReadAsync(ok, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.Locked]));

        Assert.Contains("expected 503 ServiceUnavailable or 423 Locked, got 200 OK", failure.Message, StringComparison.Ordinal);
    }
}
