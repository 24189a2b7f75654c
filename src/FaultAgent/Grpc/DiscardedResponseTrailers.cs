using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FaultAgent.Grpc;

/// <summary>Trailers nobody sends: what grpc-dotnet writes after <see cref="StalledStreamEnding"/> already ended the response.</summary>
internal sealed class DiscardedResponseTrailers : IHttpResponseTrailersFeature
{
    public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
}
