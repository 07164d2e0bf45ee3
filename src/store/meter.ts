/**
 * Sums D1's own cost figures (`meta.rows_read`, `meta.rows_written`) over one request, and counts
 * its round trips to the database: each statement run alone is one, each batch is one.
 */
export class QueryMeter {
  rowsRead = 0;
  rowsWritten = 0;
  roundTrips = 0;

  record(result: { meta?: { rows_read?: number; rows_written?: number } } | undefined): void {
    this.rowsRead += result?.meta?.rows_read ?? 0;
    this.rowsWritten += result?.meta?.rows_written ?? 0;
  }

  /** One call to D1 (a statement or a batch) was made. */
  trip(): void {
    this.roundTrips++;
  }
}
