using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace FaultApi.Tests.Deploy;

/// <summary>LICENSE at the repository's root is the full Apache License 2.0 the packages declare (PackageLicenseExpression).</summary>
public sealed class LicenseTests
{
    [Fact]
    public void License_IsTheFullApache20Text_TheLicenseThePackagesDeclare()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "LICENSE"));
        var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));

        Assert.Equal("Apache-2.0", props.Descendants("PackageLicenseExpression").Single().Value);
        Assert.StartsWith("Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/", Normalized(text), StringComparison.Ordinal);
        Assert.Contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", text, StringComparison.Ordinal);
        Assert.Contains("9. Accepting Warranty or Additional Liability.", text, StringComparison.Ordinal);
        Assert.Contains("END OF TERMS AND CONDITIONS", text, StringComparison.Ordinal);

        // The standard text, word for word (whitespace aside), as Debian ships it (/usr/share/common-licenses/Apache-2.0).
        Assert.Equal("accad2caaa9ae0596f0def761859ded09d0062f01d762cd63827d73b757854bc", Hash(Normalized(text)));
    }

    private static string Normalized(string text) =>
        string.Join('\n', text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(l => l.Length > 0));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
