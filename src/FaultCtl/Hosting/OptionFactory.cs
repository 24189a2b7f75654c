using System.CommandLine;

namespace FaultCtl.Hosting;

/// <summary>Options several commands share the parsing of: durations, 32-bit words and surfaces.</summary>
public static class OptionFactory
{
    /// <summary>An option taking a duration (<see cref="DurationParser"/>).</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result =>
        {
            var value = DurationParser.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", out var error);
            if (error is not null)
            {
                result.AddError($"{name}: {error}");
            }

            return value;
        },
    };

    /// <summary>
    /// <c>--surface</c>: where to write an Xid, <c>kmsg</c> and/or <c>dcgm</c> (repeat, or separate with commas);
    /// <see cref="Surfaces"/> turns the values into the request's list (null when none was given: the API's default, the kernel log).
    /// </summary>
    public static Option<string[]> Surface() => new("--surface")
    {
        Description = "Where to write the Xid: kmsg (the default), dcgm (DCGM field 230 through the node's dcgmi), or both: --surface kmsg,dcgm.",
        HelpName = "kmsg|dcgm",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The surfaces given with <paramref name="option"/> (<see cref="Surface"/>), split at commas; null when none were given.</summary>
    public static IReadOnlyList<string>? Surfaces(ParseResult parseResult, Option<string[]> option)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var values = (parseResult.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return values.Count == 0 ? null : values;
    }

    /// <summary>An option taking 32-bit words, decimal or 0x hex (<see cref="UnsignedParser"/>), one or many.</summary>
    public static Option<uint[]> Words(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "word",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result =>
        {
            var words = new List<uint>();
            foreach (var token in result.Tokens)
            {
                foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var value = UnsignedParser.Parse(part, out var error);
                    if (error is not null)
                    {
                        result.AddError($"{name}: {error}");
                        return [];
                    }

                    words.Add(value!.Value);
                }
            }

            return [.. words];
        },
    };

    /// <summary>An option taking one 32-bit word, decimal or 0x hex.</summary>
    public static Option<uint?> Word(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "word",
        CustomParser = result =>
        {
            var value = UnsignedParser.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", out var error);
            if (error is not null)
            {
                result.AddError($"{name}: {error}");
            }

            return value;
        },
    };
}
