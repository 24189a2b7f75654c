namespace FaultAgent.Tests;

public sealed class SolutionLayoutTests
{
    [Fact]
    public void Proto_ContractFile_IsCompiledIntoAgent()
    {
        var descriptor = FaultInjection.Agent.V1.FaultAgent.Descriptor;

        Assert.Equal("faultinjection.agent.v1.FaultAgent", descriptor.FullName);
        Assert.Contains(descriptor.Methods, m => m.Name == "InjectXid");
    }
}
