namespace FaultInjection.TestSupport;

/// <summary>
/// Whether this test process runs as root (effective uid 0, what <c>id -u</c> prints as 0): the tests that create
/// namespaces (unshare, ip netns), enter them (setns, nsenter), write or read the host's /dev/kmsg, or start journald
/// need it. Their classes carry <c>[Trait("Requires", "root")]</c> and their tests <see cref="RootFactAttribute"/> or
/// <see cref="RootTheoryAttribute"/>, so without root they are listed as skipped with <see cref="SkipReason"/>.
/// </summary>
public static class RootRequirement
{
    public const string TraitName = "Requires";
    public const string TraitValue = "root";

    public static readonly string SkipReason =
        "needs root (namespaces, /dev/kmsg, nsenter or journald): run the tests as root, as CI does (`sudo scripts/test.sh`); `--filter Requires!=root` runs the rest";

    public static bool IsRoot => Environment.IsPrivilegedProcess;
}
