-- The CHECK tying "activeSlot" to "status" (previous migration) makes Prisma's WebAssembly schema
-- engine hang when it diffs a PostgreSQL database against schema.prisma, so it goes; the unique
-- index on "activeSlot" still lets only one rollout be active, and the code keeps the two in step.
ALTER TABLE "Rollout" DROP CONSTRAINT "Rollout_active_slot_check";
