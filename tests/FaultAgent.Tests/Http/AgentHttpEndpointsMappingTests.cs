using System.Runtime.ExceptionServices;
using FaultAgent.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FaultAgent.Tests.Http;

/// <summary>
/// Mapping the agent's HTTP routes throws nothing, not even an exception caught inside ASP.NET Core: the agent maps them
/// at every start, and a thrown exception there costs its unwinding (the executable's unwind tables paged in, the start's
/// time). <c>AddEndpointFilter&lt;TFilter&gt;()</c> threw and caught an InvalidOperationException for a filter without an
/// <c>EndpointFilterFactoryContext</c> constructor (BENCHMARKS.md, the agentrss section).
/// </summary>
public sealed class AgentHttpEndpointsMappingTests
{
    [Fact]
    public async Task MapAgentHttp_OnAFreshApp_ThrowsNoExceptionEvenCaught()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();
        var thrown = new List<Exception>();
        var thread = Environment.CurrentManagedThreadId;
        void Record(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                lock (thrown)
                {
                    thrown.Add(e.Exception);
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            app.MapAgentHttp();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(thrown.Select(e => $"{e.GetType().Name}: {e.Message}"));
        Assert.Contains(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints), e => e.DisplayName?.Contains("/inject-xid", StringComparison.Ordinal) == true);
    }
}
