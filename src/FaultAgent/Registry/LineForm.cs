namespace FaultAgent.Registry;

/// <summary>How a <see cref="FaultRecord"/> holds its line and message (#14, the agent's memory).</summary>
internal enum LineForm : byte
{
    /// <summary>The line is "": the message is held as given.</summary>
    MessageOnly,

    /// <summary>The line is held (<see cref="HeldText"/>); the message as its place in the line, or as given when it has none.</summary>
    Line,

    /// <summary>The line is a kept head (<see cref="HeldLineHeads"/>) and the message, held as the head's index and the message's ASCII bytes.</summary>
    HeadAndMessage,

    /// <summary>
    /// As <see cref="HeadAndMessage"/>, the message's bytes held behind the kernel records in one array
    /// (<see cref="PackedKernelRecords"/>, faultbytes4): when every record's text is the line or a kept companion text.
    /// </summary>
    HeadAndMessageBehindRecords,
}
