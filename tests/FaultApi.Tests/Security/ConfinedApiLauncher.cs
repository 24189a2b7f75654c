using System.Globalization;

namespace FaultApi.Tests.Security;

/// <summary>
/// Runs a command as the API's container runs it (deploy/base/fault-injection-api.yaml): in a mount namespace of its own
/// where every mount but <c>/proc</c>, <c>/sys</c> and <c>/dev</c> is read-only (the container's read-only root filesystem and
/// its read-only Secret volumes; the API has no writable volume), as a non-root user and group with no supplementary
/// groups, no capability in any set (effective, permitted, inheritable, ambient, bounding) and no_new_privs. Each step
/// replaces the process (<c>unshare</c> without a fork, <c>exec setpriv</c>), so the launched process is the API itself.
/// </summary>
public static class ConfinedApiLauncher
{
    // mountinfo's field 5 is the mount point, with spaces and the like as octal escapes (\040); printf %b reads them.
    // Deepest first, so a submount is remounted before the mount above it.
    private const string Script = """
        set -e
        awk '{print $5}' /proc/self/mountinfo | sort -r | while read -r escaped; do
          point=$(printf '%b' "$escaped")
          case "$point" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue;; esac
          mount -o remount,bind,ro "$point"
        done
        uid=$1; shift
        exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs "$@"
        """;

    /// <summary>The launcher's command, to which the API's command is appended.</summary>
    public static IReadOnlyList<string> As(long uid) =>
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", Script, "sh", uid.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// Copies the API's build output (beside <paramref name="apiAssembly"/>) into <paramref name="directory"/>, readable by
    /// every user: the clone it was built in may sit under a directory only root can enter (<c>/root</c>).
    /// </summary>
    public static string CopyApiFor(string apiAssembly, string directory)
    {
        var source = Path.GetDirectoryName(apiAssembly)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        OpenToEveryone(directory);
        return Path.Combine(directory, Path.GetFileName(apiAssembly));
    }

    /// <summary>Makes <paramref name="directory"/> and everything in it readable (directories enterable) by every user.</summary>
    public static void OpenToEveryone(string directory)
    {
        const UnixFileMode Read = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Enter = Read | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the confinement is Linux's");
        }

        File.SetUnixFileMode(directory, Enter);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry.FullName, entry is DirectoryInfo ? Enter : Read);
        }
    }
}
