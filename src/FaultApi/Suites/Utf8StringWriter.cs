using System.Globalization;
using System.Text;

namespace FaultApi.Suites;

/// <summary>A <see cref="StringWriter"/> that declares UTF-8, so an XML report written to it says <c>encoding="utf-8"</c> (it is served as UTF-8).</summary>
internal sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => Encoding.UTF8;
}
