namespace FaultInjection.TestSupport;

/// <summary>A fact that needs root; skipped with <see cref="RootRequirement.SkipReason"/> when the tests do not run as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!RootRequirement.IsRoot)
        {
            Skip = RootRequirement.SkipReason;
        }
    }
}
