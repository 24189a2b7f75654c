using System.Text.RegularExpressions;

namespace FaultApi.Drills;

/// <summary>One parsed expectation (<c>condition:SysLogsXIDError</c>, <c>cordon</c>, <c>taint:key</c>, <c>drain[:ns]</c>, <c>reboot</c>, <c>recover</c>).</summary>
public sealed partial record DrillExpectation(DrillExpectationKind Kind, string? Argument)
{
    /// <summary>The canonical text, which is also the name of the step that meets it.</summary>
    public string Text => Kind switch
    {
        DrillExpectationKind.Condition => $"condition:{Argument}",
        DrillExpectationKind.Taint => $"taint:{Argument}",
        DrillExpectationKind.Drain => Argument is null ? "drain" : $"drain:{Argument}",
        DrillExpectationKind.Cordon => "cordon",
        DrillExpectationKind.Reboot => "reboot",
        _ => "recover",
    };

    public static bool TryParse(string? text, out DrillExpectation expectation, out string error)
    {
        expectation = new DrillExpectation(DrillExpectationKind.Cordon, null);
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an expectation must not be empty";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? null : text[(colon + 1)..];
        switch (kind)
        {
            case "condition":
                if (argument is null || !ConditionType().IsMatch(argument))
                {
                    error = $"'{text}': condition needs a node condition type, e.g. condition:SysLogsXIDError";
                    return false;
                }

                expectation = new DrillExpectation(DrillExpectationKind.Condition, argument);
                return true;
            case "taint":
                if (argument is null || !QualifiedName().IsMatch(argument))
                {
                    error = $"'{text}': taint needs a taint key ([prefix/]name), e.g. taint:trainy.konduktor.ai/faulty";
                    return false;
                }

                expectation = new DrillExpectation(DrillExpectationKind.Taint, argument);
                return true;
            case "drain":
                if (argument is not null && !NamespaceName().IsMatch(argument))
                {
                    error = $"'{text}': drain takes an optional namespace name (drain or drain:<namespace>)";
                    return false;
                }

                expectation = new DrillExpectation(DrillExpectationKind.Drain, argument);
                return true;
            case "cordon" or "reboot" or "recover" when argument is null:
                expectation = new DrillExpectation(
                    kind == "cordon" ? DrillExpectationKind.Cordon : kind == "reboot" ? DrillExpectationKind.Reboot : DrillExpectationKind.Recover,
                    null);
                return true;
            case "cordon" or "reboot" or "recover":
                error = $"'{text}': {kind} takes no argument";
                return false;
            default:
                error = $"'{text}' is not an expectation; use condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot or recover";
                return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,315}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionType();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();
}
