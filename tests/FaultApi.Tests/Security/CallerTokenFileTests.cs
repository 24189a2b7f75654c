using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FaultApi.Auth;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Security;

/// <summary>
/// The callers' token file against the REAL API process: a bad line refuses the file with a message naming the file and
/// the line (never the token) — at start the API does not start; on a reload the tokens read before stay in force.
/// </summary>
public sealed class CallerTokenFileTests : IDisposable
{
    private const string Alice = "alice-token-0123456789abcdefghij";
    private const string Bob = "bob-token-0123456789abcdefghijkl";
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("carol:short-token", "line 3", "16 to 4096")]
    [InlineData("car ol:carol-token-0123456789abcdef", "line 3", "caller name")]
    [InlineData("carol/x:carol-token-0123456789abcdef", "line 3", "caller name")]
    [InlineData("carol:" + Alice, "line 3", "same as line 2")]
    [InlineData("carol:carol token with spaces 0123", "line 3", "visible ASCII")]
    public async Task Start_TokenFileWithABadLine_ExitsNamingTheSettingAndTheLine(string badLine, string line, string problem)
    {
        var tokens = _directory.Combine("tokens");
        await File.WriteAllTextAsync(tokens, $"# callers\nalice:{Alice}\n{badLine}\n");

        var (exitCode, output) = await FaultApiProcess.RunUntilExitAsync(Settings(tokens));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Auth:TokenFile", output, StringComparison.Ordinal);
        Assert.Contains(line, output, StringComparison.Ordinal);
        Assert.Contains(problem, output, StringComparison.Ordinal);
        Assert.DoesNotContain(badLine[(badLine.IndexOf(':', StringComparison.Ordinal) + 1)..], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TokenFileWithoutAnyToken_ExitsNamingTheSetting()
    {
        var tokens = _directory.Combine("tokens");
        await File.WriteAllTextAsync(tokens, "# nobody yet\n\n");

        var (exitCode, output) = await FaultApiProcess.RunUntilExitAsync(Settings(tokens));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Auth:TokenFile", output, StringComparison.Ordinal);
        Assert.Contains("holds no token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_FileWithABadLine_KeepsTheLastGoodTokens_ThenTakesTheFixedFile()
    {
        var tokens = _directory.Combine("tokens");
        await File.WriteAllTextAsync(tokens, $"alice:{Alice}\n");
        await using var api = await FaultApiProcess.StartAsync(Settings(tokens));
        using var http = new HttpClient { BaseAddress = api.Address };

        // Alice is revoked and Bob added in the same edit, with a typo on the third line: the whole edit is refused.
        await ReplaceAsync(tokens, $"bob:{Bob}\n\ncarol:short\n");

        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(http, Alice));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(http, Bob));
        await api.Process.WaitForOutputAsync(l => l.Contains("refused", StringComparison.Ordinal) && l.Contains("line 3", StringComparison.Ordinal) && l.Contains(tokens, StringComparison.Ordinal), "the refused reload in the log");
        Assert.DoesNotContain("carol:short", api.Output, StringComparison.Ordinal);

        await ReplaceAsync(tokens, $"bob:{Bob}\n");

        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(http, Bob));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(http, Alice));
    }

    [Fact]
    public void Parse_KeepsOnly32ByteDigests_NeverTheTokens()
    {
        var tokens = CallerTokenFileParser.Parse($"alice:{Alice}\n{Bob}\nci-bot: secret:with:colons-0123\r\n");

        Assert.Equal(["alice", "token-2", "ci-bot"], tokens.Select(t => t.Name).ToArray());
        Assert.All(tokens, t => Assert.Equal(32, t.Sha256.Length));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("secret:with:colons-0123")), tokens[2].Sha256);
        Assert.Equal(CallerTokenFileParser.Digest(Alice), tokens[0].Sha256);
        Assert.Equal(typeof(CallerToken).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal), ["Name", "Sha256"]);
    }

    private static async Task<HttpStatusCode> StatusWithAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/faults");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Writes beside and renames over, as a Secret update does, with a new modification time.</summary>
    private static async Task ReplaceAsync(string path, string content)
    {
        var next = path + ".next";
        await File.WriteAllTextAsync(next, content);
        File.SetLastWriteTimeUtc(next, DateTime.UtcNow.AddSeconds(Random.Shared.Next(5, 500)));
        File.Move(next, path, overwrite: true);
    }

    private Dictionary<string, string> Settings(string tokens) => FaultApiProcess.StaticSettings(_directory, tokens);
}
