using FaultApi.Auth;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Auth;

public sealed class CallerTokenStoreTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Authenticate_ThroughASymlinkSwap_SeesTheNewFile()
    {
        var first = _directory.Combine("v1");
        var second = _directory.Combine("v2");
        var link = _directory.Combine("tokens");
        File.WriteAllText(first, "alice:token-one-0123456789abcdef\n");
        File.WriteAllText(second, "bob:token-two-0123456789abcdef-longer\n");
        File.CreateSymbolicLink(link, first);
        var store = new CallerTokenStore(Options.Create(new ApiAuthOptions { TokenFile = link }), NullLogger<CallerTokenStore>.Instance);
        Assert.Equal("alice", store.Authenticate("token-one-0123456789abcdef"));

        var swap = _directory.Combine("tokens.new");
        File.CreateSymbolicLink(swap, second);
        File.Move(swap, link, overwrite: true);

        Assert.Null(store.Authenticate("token-one-0123456789abcdef"));
        Assert.Equal("bob", store.Authenticate("token-two-0123456789abcdef-longer"));
        Assert.Null(store.Authenticate("token-two-0123456789abcdef-longe"));
    }

    [Fact]
    public void Authenticate_SwapToAFileOfTheSameSizeAndTime_SeesTheNewFile()
    {
        // A rotation where only the resolved path changes: the new file has the same size and modification time.
        var stamp = DateTime.UtcNow.AddMinutes(-1);
        var first = Directory.CreateDirectory(_directory.Combine("..2026_01_01_00_00_00.1")).FullName;
        var second = Directory.CreateDirectory(_directory.Combine("..2026_01_01_00_48_00.2")).FullName;
        File.WriteAllText(Path.Combine(first, "tokens"), "alice:token-one-0123456789abcdef\n");
        File.WriteAllText(Path.Combine(second, "tokens"), "alice:token-two-0123456789abcdef\n");
        File.SetLastWriteTimeUtc(Path.Combine(first, "tokens"), stamp);
        File.SetLastWriteTimeUtc(Path.Combine(second, "tokens"), stamp);
        var link = _directory.Combine("tokens");
        File.CreateSymbolicLink(link, Path.Combine(first, "tokens"));
        var store = new CallerTokenStore(Options.Create(new ApiAuthOptions { TokenFile = link }), NullLogger<CallerTokenStore>.Instance);
        Assert.Equal("alice", store.Authenticate("token-one-0123456789abcdef"));

        var swap = _directory.Combine("tokens.new");
        File.CreateSymbolicLink(swap, Path.Combine(second, "tokens"));
        File.Move(swap, link, overwrite: true);

        Assert.Null(store.Authenticate("token-one-0123456789abcdef"));
        Assert.Equal("alice", store.Authenticate("token-two-0123456789abcdef"));
    }
}
