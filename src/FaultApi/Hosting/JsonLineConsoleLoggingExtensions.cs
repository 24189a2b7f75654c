using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FaultApi.Hosting;

public static class JsonLineConsoleLoggingExtensions
{
    /// <summary>
    /// Every log event, of every category, as one JSON line on the console (the JSON console formatter, not indented), so
    /// the audit trail's events keep their properties for a log collector.
    /// </summary>
    public static ILoggingBuilder AddJsonLineConsole(this ILoggingBuilder logging) =>
        logging.AddJsonConsole(o => o.JsonWriterOptions = new JsonWriterOptions { Indented = false });
}
