namespace FaultAgent.Injection;

/// <summary>A libc call failed: the call, the path or object it acted on, errno and strerror.</summary>
public sealed class SyscallException : IOException
{
    public SyscallException()
    {
        Call = "";
        Target = "";
    }

    public SyscallException(string message)
        : base(message)
    {
        Call = "";
        Target = "";
    }

    public SyscallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = "";
        Target = "";
    }

    public SyscallException(string call, string target, int errno, string description)
        : base($"{call} {target}: {description} (errno {errno})")
    {
        Call = call;
        Target = target;
        Errno = errno;
    }

    public string Call { get; }

    public string Target { get; }

    public int Errno { get; }
}
