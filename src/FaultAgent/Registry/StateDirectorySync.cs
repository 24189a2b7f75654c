using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace FaultAgent.Registry;

/// <summary>
/// fsync of a directory, so a rename into it (the journal's compaction) survives a power loss. The only libc call of the
/// registry; errno is read at once and turned into an <see cref="IOException"/>.
/// </summary>
internal static unsafe class StateDirectorySync
{
    public static void Flush(string directory)
    {
        var path = Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* pathPointer = path)
        {
            var fd = open(pathPointer, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0)
            {
                var error = errno;
                throw new IOException($"Cannot open directory {directory} to sync it (errno {error}).");
            }

            try
            {
                if (fsync(fd) != 0)
                {
                    var error = errno;
                    throw new IOException($"fsync of directory {directory} failed (errno {error}).");
                }
            }
            finally
            {
                _ = close(fd);
            }
        }
    }
}
