using FaultInjection.Client;

namespace FaultCtl.Hosting;

/// <summary>Makes the client a command talks through; <paramref name="apiAddress"/> is <c>--api</c> when given.</summary>
public delegate FaultInjectionClient ClientFactory(Uri? apiAddress);
