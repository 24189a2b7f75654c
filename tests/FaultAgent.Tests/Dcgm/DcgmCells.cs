using System.Globalization;
using System.Text.Json.Nodes;

namespace FaultAgent.Tests.Dcgm;

/// <summary>Many cells of the stand-in hostengine for the burst and kill tests: 11 fields on both DCGM GPUs (22 cells).</summary>
internal static class DcgmCells
{
    private static readonly int[] Fields = [202, 230, 240, 241, 311, 391, 393, 409, 419, 429, 439];

    /// <summary>
    /// Sets every cell to <paramref name="before"/> and returns each with the values its faults write in turn
    /// (<paramref name="faultsOnCell"/> of the cell's index: 100 + index, then 100 more each).
    /// </summary>
    public static List<(int Gpu, int Field, long[] Values)> Fill(StandInDcgmi dcgmi, long before, Func<int, int> faultsOnCell)
    {
        ArgumentNullException.ThrowIfNull(dcgmi);
        ArgumentNullException.ThrowIfNull(faultsOnCell);
        var state = dcgmi.State;
        var values = new JsonObject();
        var cells = new List<(int Gpu, int Field, long[] Values)>();
        for (var gpu = 0; gpu < 2; gpu++)
        {
            var gpuValues = new JsonObject();
            foreach (var field in Fields)
            {
                gpuValues[field.ToString(CultureInfo.InvariantCulture)] = before;
                var first = 100 + cells.Count;
                cells.Add((gpu, field, [.. Enumerable.Range(0, faultsOnCell(cells.Count)).Select(i => (long)first + (i * 100))]));
            }

            values[gpu.ToString(CultureInfo.InvariantCulture)] = gpuValues;
        }

        state["values"] = values;
        dcgmi.State = state;
        return cells;
    }

    /// <summary>Each cell took its faults' values, then <paramref name="before"/> once (none written back twice, none left injected), and holds it.</summary>
    public static void AssertEachWrittenBackOnce(StandInDcgmi dcgmi, IEnumerable<(int Gpu, int Field, long[] Values)> cells, long before)
    {
        ArgumentNullException.ThrowIfNull(dcgmi);
        ArgumentNullException.ThrowIfNull(cells);
        var writes = dcgmi.Writes;
        foreach (var (gpu, field, values) in cells)
        {
            Assert.Equal([.. values, before], writes.Where(w => w.Gpu == gpu && w.Field == field).Select(w => w.Value));
            Assert.Equal(before, dcgmi.Value(gpu, field));
        }
    }
}
