using System.CommandLine;

namespace FaultCtl.Hosting;

/// <summary>Options several commands share the parsing of: durations and 32-bit words.</summary>
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
