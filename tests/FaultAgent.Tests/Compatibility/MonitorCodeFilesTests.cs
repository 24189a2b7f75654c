using System.Security.Cryptography;
using System.Text;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The monitors' files that <see cref="MonitorCodeTests"/> runs are the upstream files, byte for byte: each one listed in
/// tests/monitor-code/VERBATIM.tsv has the git blob id upstream's file has at the commit named there.
/// </summary>
public sealed class MonitorCodeFilesTests
{
    [Fact]
    public void VerbatimFiles_GitBlobIds_AsUpstreamAtTheNamedCommit()
    {
        var rows = File.ReadAllLines(Path.Combine(MonitorCode.Root, "VERBATIM.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .ToList();

        Assert.Equal(16, rows.Count);
        Assert.All(rows, row => Assert.True(
            GitBlobId(File.ReadAllBytes(Path.Combine(MonitorCode.Root, row[0]))) == row[4],
            $"{row[0]} is not {row[1]}'s {row[3]} at {row[2]} (blob {row[4]})"));
    }

    /// <summary>git's object id of a file's content: SHA-1 of <c>blob &lt;length&gt;\0</c> and the bytes.</summary>
    private static string GitBlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git names objects by SHA-1; this only compares with those names
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }
}
