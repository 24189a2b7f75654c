using System.Globalization;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

/// <summary>
/// The <c>/dev/kmsg</c> descriptors of one <see cref="DevKmsgKernelLog"/>: OPENED on the <see cref="IHostNamespace"/>
/// thread, so the path is resolved in the target's mount namespace and names the host's device (in the agent's own
/// namespace /dev/kmsg may be missing or something else), and USED from whichever thread holds the kernel log's I/O
/// gate (the batch leader's). An open descriptor refers to the device it was opened on, whatever namespace the thread
/// that reads or writes it is in; nothing else here depends on the namespace.
/// <list type="bullet">
/// <item>One reader (read-only, non-blocking), opened once and kept: it only moves forward.</item>
/// <item>The current writer (write-only), replaced after <see cref="DevKmsgKernelLog.RecordsPerWriteHandle"/> records.</item>
/// <item>A stock of fresh writers opened AHEAD, off the injection's path: after a write call takes from it, one
/// background crossing refills it to <see cref="StockTarget"/> (<see cref="RequestRefill"/>). Only when the current
/// writer and the stock cannot take a call's records does that call cross (<see cref="EnsureAsync"/>), once, before it
/// writes anything.</item>
/// </list>
/// Why a writer may wait in the stock: the kernel's rate limit is per open file and counts from the first write, not
/// from the open. <c>devkmsg_open</c> (kernel/printk/printk.c) gives each open file its own state,
/// <c>ratelimit_default_init(&amp;user-&gt;rs)</c> (burst 10 per 5 s, nothing counted yet); <c>devkmsg_write</c> asks
/// <c>___ratelimit(&amp;user-&gt;rs, ...)</c> per record (unless printk.devkmsg=on) and, when it says no, drops the
/// record while write() reports success; <c>___ratelimit</c> (lib/ratelimit.c) starts the interval at its first call
/// (<c>if (!rs-&gt;begin) rs-&gt;begin = jiffies</c>; since 6.16 the <c>RATELIMIT_INITIALIZED</c> flag does the same). A
/// descriptor takes at most <see cref="DevKmsgKernelLog.RecordsPerWriteHandle"/> (8 &lt; 10) records in its whole
/// life, so it never reaches the burst, however long it waited and whenever its interval began.
/// </summary>
internal sealed class KmsgDescriptors : IDisposable
{
    private const int PerWriter = DevKmsgKernelLog.RecordsPerWriteHandle;

    private readonly IHostNamespace _namespace;
    private readonly string _devicePath;
    private readonly ILogger _logger;
    private readonly Lock _stockLock = new();
    private readonly Queue<int> _stock = new();
    private int _reader = -1;
    private int _writer = -1;
    private int _writesOnWriter;
    private KernelLogUnavailableException? _writerOpenFailure;
    private bool _refilling;
    private bool _disposed;

    public KmsgDescriptors(IHostNamespace hostNamespace, string devicePath, ILogger logger)
    {
        _namespace = hostNamespace;
        _devicePath = devicePath;
        _logger = logger;
    }

    /// <summary>Fresh writers kept open ahead (0: each is opened by the call that needs it, at its start).</summary>
    public int StockTarget { get; set; } = 4;

    /// <summary>The reader; open after <see cref="EnsureAsync"/>.</summary>
    public int Reader => _reader;

    /// <summary>Writers waiting in the stock (tests).</summary>
    public int Stocked
    {
        get
        {
            lock (_stockLock)
            {
                return _stock.Count;
            }
        }
    }

    /// <summary>
    /// Makes sure the reader is open and that the current writer and the stock can take <paramref name="records"/>
    /// more records; if not, ONE crossing opens what is missing (writers beyond what this call needs go to the stock
    /// only through <see cref="RequestRefill"/>). Throws <see cref="KernelLogUnavailableException"/> when the namespace
    /// cannot be entered, the reader cannot be opened, or no writer can take the first record; a writer that cannot be
    /// opened while some capacity is left fails the record that needs it (<see cref="WriterForNextRecord"/>), as a
    /// reopen did. Caller holds the I/O gate.
    /// </summary>
    public async Task EnsureAsync(int records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writerOpenFailure = null;
        if (_reader >= 0 && Missing(records) == 0)
        {
            return;
        }

        var needReader = _reader < 0;
        Opened opened;
        try
        {
            opened = await _namespace.RunAsync(() => Open(needReader, records), cancellationToken).ConfigureAwait(false);
            InjectionProfile.Resumed();
        }
        catch (HostNamespaceUnavailableException e)
        {
            throw new KernelLogUnavailableException($"The kernel log {_devicePath} is unavailable: {e.Message}", e);
        }

        lock (_stockLock)
        {
            if (_disposed)
            {
                // Disposed while the crossing ran: nothing is kept, so what it opened is closed here.
                LinuxSyscalls.Close(opened.Reader);
                opened.Writers.ForEach(LinuxSyscalls.Close);
                throw new ObjectDisposedException(nameof(DevKmsgKernelLog));
            }

            if (opened.Reader >= 0)
            {
                _reader = opened.Reader;
            }

            foreach (var fd in opened.Writers)
            {
                _stock.Enqueue(fd);
            }

            if (opened.WriterFailure is { } failure)
            {
                if (CapacityLocked() == 0)
                {
                    throw failure;
                }

                _writerOpenFailure = failure;
            }
        }
    }

    /// <summary>
    /// The descriptor the next record is written through: the current writer until it took
    /// <see cref="DevKmsgKernelLog.RecordsPerWriteHandle"/> records, then (closed) the next one from the stock.
    /// </summary>
    public int WriterForNextRecord()
    {
        if (_writer >= 0 && _writesOnWriter < PerWriter)
        {
            return _writer;
        }

        CloseWriter();
        lock (_stockLock)
        {
            if (_stock.TryDequeue(out var fd))
            {
                _writer = fd;
                _writesOnWriter = 0;
                return fd;
            }
        }

        // EnsureAsync reserved enough for every record of the call unless opening one failed: that is this record's error.
        throw _writerOpenFailure ?? new KernelLogUnavailableException(
            $"No {_devicePath} writer was opened for this record (the call's records were counted short).");
    }

    /// <summary>Counts a record written through the current writer.</summary>
    public void Wrote() => _writesOnWriter++;

    /// <summary>Closes the current writer (after a failed write); the next record takes a fresh one.</summary>
    public void CloseWriter()
    {
        LinuxSyscalls.Close(_writer);
        _writer = -1;
        _writesOnWriter = 0;
    }

    /// <summary>Closes the reader (after a failed read); the next call reopens it.</summary>
    public void CloseReader()
    {
        LinuxSyscalls.Close(_reader);
        _reader = -1;
    }

    /// <summary>
    /// Refills the stock to <see cref="StockTarget"/> in one background crossing when it is short and none is under way.
    /// Never waits, never throws: a failed refill leaves the stock short and the next call opens what it needs itself
    /// (and reports the failure). Not profiled: it is off the injection's path.
    /// </summary>
    /// <summary>Whether a background refill is under way (tests wait for one to end).</summary>
    internal bool Refilling
    {
        get
        {
            lock (_stockLock)
            {
                return _refilling;
            }
        }
    }

    public void RequestRefill()
    {
        lock (_stockLock)
        {
            if (_disposed || _refilling || _stock.Count >= StockTarget)
            {
                return;
            }

            _refilling = true;
        }

        _ = RefillAsync();
    }

    public void Dispose()
    {
        lock (_stockLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            while (_stock.TryDequeue(out var fd))
            {
                LinuxSyscalls.Close(fd);
            }
        }

        CloseReader();
        CloseWriter();
    }

    private async Task RefillAsync()
    {
        var filled = false;
        try
        {
            var refill = InjectionProfile.Unprofiled(() => _namespace.RunAsync(FillStock, CancellationToken.None));
            var opened = await refill.ConfigureAwait(false);
            filled = true;
            if (opened > 0)
            {
                DevKmsgLog.WritersOpenedAhead(_logger, opened);
            }
        }
#pragma warning disable CA1031 // A refill's failure is reported by the next call that needs a writer and opens it itself.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DevKmsgLog.RefillFailed(_logger, e.Message);
        }
        finally
        {
            bool again;
            lock (_stockLock)
            {
                _refilling = false;

                // A writer taken after FillStock saw the stock full, but before this, asked for a refill while this one was
                // still under way, so its request was dropped: refill again rather than leave the stock short until the
                // next call (CI on 1e01bd4: the stock stayed one short after the last batch). Not after a failure: the next
                // call opens what it needs itself and reports it.
                again = filled && !_disposed && _stock.Count < StockTarget;
            }

            if (again)
            {
                RequestRefill();
            }
        }
    }

    // ---- on the namespace thread ----

    /// <summary>Opens writers until the stock holds <see cref="StockTarget"/>; those opened after a dispose are closed.</summary>
    private int FillStock()
    {
        var opened = 0;
        while (true)
        {
            lock (_stockLock)
            {
                if (_disposed || _stock.Count >= StockTarget)
                {
                    return opened;
                }
            }

            var fd = OpenDevice(_devicePath, LinuxSyscalls.WriteOnly);
            lock (_stockLock)
            {
                if (_disposed)
                {
                    LinuxSyscalls.Close(fd);
                    return opened;
                }

                _stock.Enqueue(fd);
                opened++;
            }
        }
    }

    private Opened Open(bool needReader, int records)
    {
        var phase = InjectionProfile.Start();
        var reader = needReader ? OpenDevice(_devicePath, LinuxSyscalls.ReadOnly | LinuxSyscalls.NonBlocking) : -1;
        var missing = Missing(records);
        var writers = new List<int>(missing);
        KernelLogUnavailableException? failure = null;
        try
        {
            for (var i = 0; i < missing; i++)
            {
                writers.Add(OpenDevice(_devicePath, LinuxSyscalls.WriteOnly));
            }
        }
        catch (KernelLogUnavailableException e)
        {
            failure = e;
        }

        InjectionProfile.Add(InjectionPhase.KmsgOpen, phase);
        return new Opened(reader, writers, failure);
    }

    // ---- either thread ----

    /// <summary>Writers to open so that the current one and the stock take <paramref name="records"/> more records.</summary>
    private int Missing(int records)
    {
        lock (_stockLock)
        {
            var shortBy = records - CapacityLocked();
            return shortBy <= 0 ? 0 : (shortBy + PerWriter - 1) / PerWriter;
        }
    }

    private int CapacityLocked() =>
        (_writer >= 0 ? PerWriter - _writesOnWriter : 0) + (_stock.Count * PerWriter);

    /// <summary>Opens <paramref name="devicePath"/>; call it on the namespace thread.</summary>
    internal static int OpenDevice(string devicePath, int flags)
    {
        try
        {
            return LinuxSyscalls.Open(devicePath, flags);
        }
        catch (SyscallException e)
        {
            var hint = e.Errno == LinuxSyscalls.Eperm
                ? " (is kernel.printk_devkmsg=off, or is the agent missing CAP_SYSLOG?)"
                : "";
            throw new KernelLogUnavailableException($"Cannot open the kernel log: {e.Message}{hint}", e);
        }
    }

    private sealed record Opened(int Reader, List<int> Writers, KernelLogUnavailableException? WriterFailure);
}
