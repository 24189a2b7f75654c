namespace FaultInjection.TestSupport;

/// <summary>A theory that needs root; skipped with <see cref="RootRequirement.SkipReason"/> when the tests do not run as root.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootRequirement.IsRoot)
        {
            Skip = RootRequirement.SkipReason;
        }
    }
}
