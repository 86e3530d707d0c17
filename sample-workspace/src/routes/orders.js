const express = require('express');
const { prisma } = require('../db/client');

const ordersRouter = express.Router();

// Creates an order and its lines. Stock is not reserved and the request is not validated yet.
ordersRouter.post('/', async (req, res) => {
  const { customerId, lines } = req.body;
  const order = await prisma.order.create({
    data: { customerId, lines: { create: lines } },
    include: { lines: true },
  });
  res.status(201).json(order);
});

ordersRouter.get('/:id', async (req, res) => {
  const order = await prisma.order.findUnique({ where: { id: Number(req.params.id) }, include: { lines: true } });
  if (!order) return res.status(404).json({ error: 'not found' });
  res.json(order);
});

module.exports = { ordersRouter };
