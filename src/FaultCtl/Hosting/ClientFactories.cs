using FaultInjection.Client;

namespace FaultCtl.Hosting;

/// <summary>The clients of a real run: <c>FAULT_INJECTION_API</c> / <c>--api</c> and <c>FAULT_INJECTION_TOKEN</c>, as the pytest plugin reads them.</summary>
public static class ClientFactories
{
    /// <summary><c>--api</c> when given, else <c>FAULT_INJECTION_API</c> (default <c>http://localhost:8080</c>); the token from <c>FAULT_INJECTION_TOKEN</c>.</summary>
    public static FaultInjectionClient FromEnvironment(Uri? apiAddress) =>
        apiAddress is null
            ? FaultInjectionClient.FromEnvironment()
            : new FaultInjectionClient(apiAddress, Environment.GetEnvironmentVariable(FaultInjectionClient.TokenVariable));
}
