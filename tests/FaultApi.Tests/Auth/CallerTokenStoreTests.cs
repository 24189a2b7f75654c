using FaultApi.Auth;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Auth;

public sealed class CallerTokenStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Parse_NamedBareCommentsAndBlanks_NamesEachCaller()
    {
        var tokens = CallerTokenStore.Parse("# comment\n\nalice:secret-a\n  secret-b  \nci-bot: secret:with:colons\r\n");

        Assert.Equal(["alice", "token-2", "ci-bot"], tokens.Select(t => t.Name).ToArray());
        Assert.Equal("secret:with:colons", System.Text.Encoding.UTF8.GetString(tokens[2].Token));
    }

    [Fact]
    public void Authenticate_ThroughASymlinkSwap_SeesTheNewFile()
    {
        var first = _directory.Combine("v1");
        var second = _directory.Combine("v2");
        var link = _directory.Combine("tokens");
        File.WriteAllText(first, "alice:token-one\n");
        File.WriteAllText(second, "bob:token-two-longer\n");
        File.CreateSymbolicLink(link, first);
        var store = new CallerTokenStore(Options.Create(new ApiAuthOptions { TokenFile = link }));
        Assert.Equal("alice", store.Authenticate("token-one"));

        var swap = _directory.Combine("tokens.new");
        File.CreateSymbolicLink(swap, second);
        File.Move(swap, link, overwrite: true);

        Assert.Null(store.Authenticate("token-one"));
        Assert.Equal("bob", store.Authenticate("token-two-longer"));
        Assert.Null(store.Authenticate("token-two-longe"));
    }
}
