using System.Buffers;

namespace Iot.InfluxDb.LineProtocol;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>; return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledByteBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] array;
    private int count;

    public PooledByteBuffer(int initialCapacity = 64 * 1024) => array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Count => count;

    public ReadOnlyMemory<byte> WrittenMemory => array.AsMemory(0, count);

    public void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (count + bytes > array.Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        count += bytes;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return array.AsMemory(count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return array.AsSpan(count);
    }

    public void Dispose()
    {
        var returned = array;
        array = [];
        count = 0;
        if (returned.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (array.Length - count >= sizeHint)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, count + sizeHint));
        array.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(array);
        array = bigger;
    }
}
