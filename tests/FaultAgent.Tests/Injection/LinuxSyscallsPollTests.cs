using System.Diagnostics;
using System.Runtime.InteropServices;
using FaultAgent.Injection;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// <see cref="LinuxSyscalls.WaitReadable"/> reads poll's own errno: a signal that interrupts the wait right after a
/// non-blocking read failed with EAGAIN (the read-back's pattern) is EINTR, waited again, not an EAGAIN failure.
/// </summary>
public sealed partial class LinuxSyscallsPollTests
{
    [Fact]
    public void WaitReadable_SignalAfterAFailedNonBlockingRead_KeepsWaitingUntilTheTimeout()
    {
        var fds = new int[2];
        Assert.Equal(0, pipe2(fds, 0x800 /* O_NONBLOCK */));
        try
        {
            nuint thread = 0;
            Exception? failure = null;
            bool? readable = null;
            using var waiting = new ManualResetEventSlim();
            var waiter = new Thread(() =>
            {
                thread = pthread_self();
                try
                {
                    // The failed read leaves EAGAIN as this thread's last error, then the wait begins.
                    Assert.Equal(-LinuxSyscalls.Eagain, LinuxSyscalls.TryRead(fds[0], new byte[16]));
                    waiting.Set();
                    readable = LinuxSyscalls.WaitReadable(fds[0], 1500, "test pipe");
                }
#pragma warning disable CA1031 // The waiter's failure is the test's result.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                }
            });
            waiter.Start();
            Assert.True(waiting.Wait(TimeSpan.FromSeconds(10)));
            Thread.Sleep(200);

            // A signal the runtime handles (its activation signal) interrupts poll: EINTR.
            var watch = Stopwatch.StartNew();
            Assert.Equal(0, pthread_kill(thread, Tmds.Linux.LibC.SIGRTMIN));
            Assert.True(waiter.Join(TimeSpan.FromSeconds(20)));

            Assert.Null(failure);
            Assert.False(readable);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1000), $"the wait ended after {watch.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            _ = close(fds[0]);
            _ = close(fds[1]);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2([Out] int[] fds, int flags);

    [LibraryImport("libc")]
    private static partial nuint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_kill(nuint thread, int signal);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
