using FaultApi.BugReports;
using FaultApi.Audit;
using FaultApi.Dcgm;
using FaultApi.Drills;
using FaultApi.Faults;
using FaultApi.Gpu;
using FaultApi.Health;
using FaultApi.Nodes;
using FaultApi.EmergencyStop;
using FaultApi.Suites;
using FaultApi.Xids;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Hosting;

public static class ApiEndpointRouteBuilderExtensions
{
    /// <summary>Every route of the API, and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthEndpoints();
        endpoints.MapXidTypeEndpoints();
        endpoints.MapFaultEndpoints();
        endpoints.MapDcgmEndpoints();
        endpoints.MapNodeEndpoints();
        endpoints.MapGpuEndpoints();
        endpoints.MapBugReportEndpoints();
        endpoints.MapStopEndpoints();
        endpoints.MapAuditEndpoints();
        endpoints.MapDrillEndpoints();
        endpoints.MapSuiteEndpoints();
        endpoints.MapOpenApi().AllowAnonymous();
        return endpoints;
    }
}
