const express = require('express');
const { prisma } = require('../db/client');

const productsRouter = express.Router();

productsRouter.get('/', async (req, res) => {
  const products = await prisma.product.findMany({ orderBy: { name: 'asc' } });
  res.json(products);
});

productsRouter.get('/:id', async (req, res) => {
  const product = await prisma.product.findUnique({ where: { id: Number(req.params.id) } });
  if (!product) return res.status(404).json({ error: 'not found' });
  res.json(product);
});

module.exports = { productsRouter };
