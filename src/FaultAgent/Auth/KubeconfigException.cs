namespace FaultAgent.Auth;

/// <summary>A kubeconfig the agent cannot use: unreadable, not a kubeconfig, or asking for an authentication the agent does not do.</summary>
public sealed class KubeconfigException(string message, Exception? innerException = null) : Exception(message, innerException);
