using FaultAgent.Auth;
using FaultAgent.Hosting;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Auth;

public sealed class BearerTokenStoreTests : IDisposable
{
    private const string TokenA = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string TokenB = "bbbbbbbbbbbbbbbbbbbbbbbb";
    private readonly TestDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Parse_NamedBareCommentsAndBadLines_KeepsValidTokens()
    {
        var tokens = TokenFileParser.Parse($"# comment\n\nfault-api:{TokenA}\n{TokenB}\nshort\n", out var problems);

        Assert.Equal(["fault-api", "token-4"], tokens.Select(t => t.Name));
        Assert.Single(problems);
    }

    [Fact]
    public void Parse_SameTokenOnTwoLines_AcceptsNeitherAndNamesBothLines()
    {
        var tokens = TokenFileParser.Parse($"fault-api:{TokenA}\nsre-alice:{TokenB}\n# comment\nsre-bob:{TokenA}\n", out var problems, out var repeated);

        Assert.Equal(["sre-alice"], tokens.Select(t => t.Name));
        var repeat = Assert.Single(repeated);
        Assert.Equal(repeat, Assert.Single(problems));
        Assert.Contains("lines 1, 4", repeat, StringComparison.Ordinal);
        Assert.Contains("'fault-api', 'sre-bob'", repeat, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenA, repeat, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_ReloadGivesATokenToASecondCaller_NeitherNameIsAcceptedTheOthersAre()
    {
        var path = Write("token", $"fault-api:{TokenA}\nsre-alice:{TokenB}\n");
        var store = CreateStore(path);
        Assert.Equal("fault-api", store.Authenticate(TokenA));

        // Before, the repeated token still authenticated, as the first line's caller: the audit named fault-api for sre-bob.
        File.WriteAllText(path, $"fault-api:{TokenA}\nsre-alice:{TokenB}\nsre-bob:{TokenA}\n");
        _time.Advance(BearerTokenStore.RereadInterval);

        Assert.Null(store.Authenticate(TokenA));
        Assert.Equal("sre-alice", store.Authenticate(TokenB));
    }

    [Fact]
    public void Authenticate_RightAndWrongTokens_NamesOnlyTheRightOne()
    {
        var store = CreateStore(Write("token", $"api:{TokenA}\n"));

        Assert.Equal("api", store.Authenticate(TokenA));
        Assert.Null(store.Authenticate(TokenB));
        Assert.Null(store.Authenticate(""));
    }

    [Fact]
    public void Authenticate_FileRewritten_AcceptsNewTokenWithoutRestart()
    {
        var path = Write("token", $"api:{TokenA}\n");
        var store = CreateStore(path);
        Assert.Equal("api", store.Authenticate(TokenA));

        File.WriteAllText(path, $"api:{TokenB}\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("api", store.Authenticate(TokenB));
        Assert.Null(store.Authenticate(TokenA));
    }

    [Fact]
    public void Authenticate_KubernetesSymlinkSwap_AcceptsNewToken()
    {
        // The layout kubelet gives a mounted Secret: token -> ..data/token, ..data -> ..<timestamp>/, swapped atomically.
        Directory.CreateDirectory(_directory.Combine("..v1"));
        File.WriteAllText(_directory.Combine("..v1", "token"), $"api:{TokenA}\n");
        File.CreateSymbolicLink(_directory.Combine("..data"), "..v1");
        File.CreateSymbolicLink(_directory.Combine("token"), "..data/token");
        var store = CreateStore(_directory.Combine("token"));
        Assert.Equal("api", store.Authenticate(TokenA));

        Directory.CreateDirectory(_directory.Combine("..v2"));
        File.WriteAllText(_directory.Combine("..v2", "token"), $"api:{TokenB}\n");
        File.CreateSymbolicLink(_directory.Combine("..data_tmp"), "..v2");
        RenameOver(_directory.Combine("..data_tmp"), _directory.Combine("..data"));
        _time.Advance(BearerTokenStore.RereadInterval);

        Assert.Equal("api", store.Authenticate(TokenB));
        Assert.Null(store.Authenticate(TokenA));
    }

    [Fact]
    public void Authenticate_FileEmptiedLater_KeepsLastGoodTokens()
    {
        var path = Write("token", $"api:{TokenA}\n");
        var store = CreateStore(path);
        Assert.Equal("api", store.Authenticate(TokenA));

        File.WriteAllText(path, "");

        Assert.Equal("api", store.Authenticate(TokenA));
    }

    /// <summary>rename(2) of a symlink over another, as kubelet does (mv -T does exactly that).</summary>
    private static void RenameOver(string source, string destination)
    {
        var start = new System.Diagnostics.ProcessStartInfo("mv") { ArgumentList = { "-T", source, destination } };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private string Write(string name, string content)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    private BearerTokenStore CreateStore(string path) =>
        new(Options.Create(new AgentOptions { NodeName = "n", TokenFile = path }), _time, NullLogger<BearerTokenStore>.Instance);
}
