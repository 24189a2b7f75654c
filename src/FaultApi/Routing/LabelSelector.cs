using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace FaultApi.Routing;

/// <summary>A parsed Kubernetes label selector (equality- and set-based), matched against node labels.</summary>
public sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    public static bool TryParse(string? text, [NotNullWhen(true)] out LabelSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the selector is empty";
            return false;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var term = part.Trim();
            Match match;
            if ((match = SetPattern().Match(term)).Success)
            {
                var values = match.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
                if (values.Any(v => !ValuePattern().IsMatch(v)))
                {
                    error = $"'{term}' has a value that is not a label value";
                    return false;
                }

                var op = match.Groups["op"].Value == "in" ? LabelOperator.In : LabelOperator.NotIn;
                requirements.Add(new(match.Groups["key"].Value, op, values));
            }
            else if ((match = EqualityPattern().Match(term)).Success)
            {
                var op = match.Groups["op"].Value == "!=" ? LabelOperator.NotIn : LabelOperator.In;
                requirements.Add(new(match.Groups["key"].Value, op, [match.Groups["value"].Value]));
            }
            else if ((match = ExistsPattern().Match(term)).Success)
            {
                var op = match.Groups["not"].Success ? LabelOperator.DoesNotExist : LabelOperator.Exists;
                requirements.Add(new(match.Groups["key"].Value, op, []));
            }
            else
            {
                error = $"'{term}' is not 'key=value', 'key!=value', 'key in (a,b)', 'key notin (a,b)', 'key' or '!key'";
                return false;
            }
        }

        // Kubernetes' lengths: a key's name at most 63 characters after an optional DNS-subdomain prefix of at most 253,
        // a value at most 63.
        foreach (var requirement in requirements)
        {
            var slash = requirement.Key.IndexOf('/', StringComparison.Ordinal);
            if ((slash >= 0 && slash > 253) || requirement.Key.Length - slash - 1 > 63)
            {
                error = "a label key is a name of at most 63 characters, optionally after a DNS prefix of at most 253 and '/'";
                return false;
            }

            if (requirement.Values.Any(v => v.Length > 63))
            {
                error = "a label value is at most 63 characters";
                return false;
            }
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private const string Key = @"(?<key>([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)";

    [GeneratedRegex(@"^" + Key + @"\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^" + Key + @"\s*(?<op>==|!=|=)\s*(?<value>([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex EqualityPattern();

    [GeneratedRegex(@"^(?<not>!\s*)?" + Key + @"$", RegexOptions.CultureInvariant)]
    private static partial Regex ExistsPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();
}
