const { PrismaClient } = require('@prisma/client');

// One client per process: Prisma keeps a connection pool inside it.
const prisma = new PrismaClient();
module.exports = { prisma };
