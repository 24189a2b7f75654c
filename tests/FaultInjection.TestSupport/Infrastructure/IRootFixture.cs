namespace FaultInjection.TestSupport;

/// <summary>
/// A class or collection fixture that needs root to start (it creates or enters namespaces, starts a real agent on the
/// host's /dev/kmsg, or runs nsenter or journald). Every test class that uses one must carry the
/// <c>Requires=root</c> trait and only <see cref="RootFactAttribute"/>/<see cref="RootTheoryAttribute"/> tests, or a run
/// without root fails in the fixture's constructor instead of skipping; <see cref="RootFixtureUsage"/> finds the ones
/// that do not.
/// </summary>
#pragma warning disable CA1040 // A marker: the fixtures have nothing else in common.
public interface IRootFixture;
#pragma warning restore CA1040
