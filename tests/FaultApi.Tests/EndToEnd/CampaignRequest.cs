namespace FaultApi.Tests.EndToEnd;

/// <summary>One malformed or hostile request of the bad-input campaign: what it sends, and what it tries.</summary>
/// <param name="Method">GET, POST, DELETE...</param>
/// <param name="PathAndQuery">Already URL-encoded, relative to the process's address.</param>
/// <param name="Body">The raw body, or null for none.</param>
/// <param name="ContentType">The Content-Type header, or null for none.</param>
/// <param name="Headers">Extra headers, sent without validation.</param>
/// <param name="Case">What the request tries, for the failure message.</param>
public sealed record CampaignRequest(string Method, string PathAndQuery, string? Body, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Case);
