using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaultApi.OpenApi;

/// <summary>
/// Unsigned integers (a kernel record's <c>sequence</c> and <c>timestamp_us</c>, an SXid's data words) as the formats
/// OpenAPI and its generators know: <c>uint32</c> and <c>uint64</c> are not in the OpenAPI format registry's core set,
/// and Kiota ignores them and reads a 32-bit int (a kernel timestamp in microseconds overflows it). They become
/// <c>int64</c> with their real bounds (minimum 0; a uint32's maximum), which every value the API sends fits: a
/// microsecond count or a record sequence stays far below 2^63.
/// </summary>
public sealed class UnsignedIntegerSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Format is "uint32" or "uint64")
        {
            schema.Maximum = schema.Format == "uint32" ? uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            schema.Minimum = "0";
            schema.Format = "int64";
        }

        return Task.CompletedTask;
    }
}
