using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Payments.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer_name = table.Column<string>(type: "text", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer_name });
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    submission_id = table.Column<Guid>(type: "uuid", nullable: false),
                    submission_version = table.Column<int>(type: "integer", nullable: false),
                    practice_ods = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    service_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    period = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    remittance_reference = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    trace_parent = table.Column<string>(type: "text", nullable: true),
                    trace_state = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    submission_id = table.Column<Guid>(type: "uuid", nullable: false),
                    submission_version = table.Column<int>(type: "integer", nullable: false),
                    practice_ods = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    icb = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    service_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    period = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    financial_year = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requires_approval = table.Column<bool>(type: "boolean", nullable: false),
                    approval_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    decide_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reminders_sent = table.Column<int>(type: "integer", nullable: false),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    remittance_reference = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true),
                    posting_attempts = table.Column<int>(type: "integer", nullable: false),
                    next_posting_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    retry_requested = table.Column<bool>(type: "boolean", nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    calculated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    history = table.Column<string>(type: "jsonb", nullable: true),
                    lines = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "practices",
                columns: table => new
                {
                    ods = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    icb = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    list_size = table.Column<int>(type: "integer", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_practices", x => x.ods);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_received_at",
                table: "inbox_messages",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_payment_id",
                table: "ledger_entries",
                column: "payment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_practice_ods_service_code_period",
                table: "ledger_entries",
                columns: new[] { "practice_ods", "service_code", "period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_remittance_reference",
                table: "ledger_entries",
                column: "remittance_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_submission_id_submission_version",
                table: "ledger_entries",
                columns: new[] { "submission_id", "submission_version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent_at",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "id",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_payments_decide_by",
                table: "payments",
                column: "decide_by",
                filter: "status = 'awaiting-approval'");

            migrationBuilder.CreateIndex(
                name: "ix_payments_icb_status",
                table: "payments",
                columns: new[] { "icb", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_next_posting_at",
                table: "payments",
                column: "next_posting_at",
                filter: "next_posting_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_payments_practice_ods_service_code_period",
                table: "payments",
                columns: new[] { "practice_ods", "service_code", "period" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_remittance_reference",
                table: "payments",
                column: "remittance_reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payments_status_calculated_at",
                table: "payments",
                columns: new[] { "status", "calculated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payments_submission_id_submission_version",
                table: "payments",
                columns: new[] { "submission_id", "submission_version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "practices");
        }
    }
}
